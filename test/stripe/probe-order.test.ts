import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { makeTeam, teamBalance } from "../billing/factories";
import { signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

let env: StripeTestEnv;
let prices: { pro: Stripe.Price };
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {});
  const product = await env.stripe.products.create({ name: "Pro" });
  prices = { pro: await env.stripe.prices.create({ product: product.id, currency: "usd", unit_amount: 4900, recurring: { interval: "month" }, lookup_key: "pro_monthly" }) };
});
afterAll(() => env?.close());
type EmulatorEvent = { id: string; type: string; event: { id: string; data: { object: Record<string, unknown> } } };
async function eventCount(): Promise<number> {
  return (await env.control<{ data: unknown[] }>("events")).data.length;
}
async function eventsSince(count: number): Promise<EmulatorEvent[]> {
  return (await env.control<{ data: EmulatorEvent[] }>("events")).data.slice(count);
}
async function deliver(e: EmulatorEvent) {
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, JSON.stringify(e.event)));
  const body = await res.text();
  console.log(e.type, res.status, body);
}

describe("probe", () => {
  it("subscription invoice refunded", async () => {
    const { teamId } = await makeTeam(env.t.db);
    const customer = await env.stripe.customers.create({ email: "o@example.test" });
    const pm = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    await env.t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customer.id } });
    let start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.pro.id }] });
    for (const e of await eventsSince(start)) await deliver(e);
    console.log("balance after paid", await teamBalance(env.t.db, teamId));
    const inv = await env.stripe.invoices.retrieve(sub.latest_invoice as string);
    const pays = await env.stripe.invoicePayments.list({ invoice: inv.id } as never);
    console.log(JSON.stringify(pays.data[0]?.payment));
    const pi = (pays.data[0]?.payment as { payment_intent: string }).payment_intent;
    start = await eventCount();
    await env.stripe.refunds.create({ payment_intent: pi });
    for (const e of await eventsSince(start)) await deliver(e);
    console.log("balance after refund", await teamBalance(env.t.db, teamId));
    expect((await verifyBalance({ db: env.t.db, teamId })).problems).toEqual([]);
  });
});
