import nodemailer from "nodemailer";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendPendingEmails } from "../../lib/notifications/send-pending-emails";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { makeTeam } from "../billing/factories";
import { signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

// A failed renewal emails the team's owners and billing members once per renewal, however often and in whatever
// order Stripe's events arrive; members without the billing role hear nothing.

let env: StripeTestEnv;
let price: Stripe.Price;
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {}); // nothing is delivered on its own
  const product = await env.stripe.products.create({ name: "Pro" });
  price = await env.stripe.prices.create({
    product: product.id,
    currency: "usd",
    unit_amount: 4900,
    recurring: { interval: "month" },
    lookup_key: "pro_monthly",
  });
});
afterAll(() => env?.close());

type EmulatorEvent = { id: string; type: string; event: { id: string; data: { object: Record<string, unknown> } } };
const eventCount = async () => (await env.control<{ data: unknown[] }>("events")).data.length;
const eventsSince = async (n: number) => (await env.control<{ data: EmulatorEvent[] }>("events")).data.slice(n);
let n = 0;
async function deliver(e: EmulatorEvent, again = false): Promise<void> {
  const payload = JSON.stringify(again ? { ...e.event, id: `${e.id}_again${n++}` } : e.event);
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload));
  expect(res.status, `${e.type}: ${await res.text()}`).toBe(200);
}

const notices = (teamId: string) =>
  env.t.db.notification.findMany({ where: { teamId, kind: "payment_failed" }, orderBy: [{ createdAt: "asc" }, { email: "asc" }] });

describe("past-due emails", () => {
  it("one email per owner and billing member per failed renewal and one when it turns unpaid, under duplicated and reversed events", async () => {
    const { teamId, userId: ownerId, slug } = await makeTeam(env.t.db);
    const billing = await env.t.db.user.create({ data: { email: "billing@past-due.test" } });
    const member = await env.t.db.user.create({ data: { email: "member@past-due.test" } });
    await env.t.db.membership.createMany({
      data: [
        { teamId, userId: billing.id, role: "BILLING" },
        { teamId, userId: member.id, role: "MEMBER" },
      ],
    });
    const customer = await env.stripe.customers.create({ email: "owner@past-due.test" });
    const failing = await env.stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
    await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await env.t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customer.id } });
    const visa = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    const mine = (e: EmulatorEvent) => e.event.data.object.customer === customer.id;

    let start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], default_payment_method: visa.id });
    await env.stripe.subscriptions.update(sub.id, { default_payment_method: "" as unknown as string });
    for (const e of (await eventsSince(start)).filter(mine)) await deliver(e);
    expect(await notices(teamId)).toEqual([]); // paid first invoice: nothing to say

    // The renewal fails: every event delivered reversed, then again under new ids, then again as is.
    start = await eventCount();
    await env.control(`subscriptions/${sub.id}/advance`, {});
    expect((await env.stripe.subscriptions.retrieve(sub.id)).status).toBe("past_due");
    const failed = (await eventsSince(start)).filter(mine);
    expect(failed.map((e) => e.type)).toContain("invoice.payment_failed");
    for (const e of [...failed].reverse()) await deliver(e);
    for (const e of failed) await deliver(e, true);
    for (const e of failed) await deliver(e);

    const first = await notices(teamId);
    expect(first.map((x) => x.userId).sort()).toEqual([ownerId, billing.id].sort());
    expect(first.some((x) => x.userId === member.id)).toBe(false);
    const team = await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } });
    const graceEnd = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(team.unpaidFrom!);
    for (const x of first) {
      expect(x.title).toBe("Your payment failed");
      expect(x.body).toContain(`by ${graceEnd} (UTC) to keep using the API`);
      expect(x.body).toContain(`/t/${slug}/subscription`);
    }

    // The outbox emails each once.
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const sent = await sendPendingEmails({ db: env.t.db, transport, from: "billing@creditdesk.test" });
    expect(sent.sent).toBeGreaterThanOrEqual(2);
    for (const e of failed) await deliver(e, true);
    expect(await notices(teamId)).toHaveLength(2);
    expect(await env.t.db.notification.count({ where: { teamId, emailedAt: null } })).toBe(0);

    // Paid by hand, then the next renewal fails too: a new failed renewal, one more email each.
    start = await eventCount();
    const open = await env.stripe.invoices.list({ subscription: sub.id, status: "open" });
    await env.stripe.invoices.pay(open.data[0]!.id, { payment_method: visa.id });
    for (const e of (await eventsSince(start)).filter(mine)) await deliver(e);
    expect(await env.t.db.subscription.findUniqueOrThrow({ where: { teamId } })).toMatchObject({ status: "ACTIVE", pastDueSince: null });
    await env.control("dunning", { maxAttempts: 2, afterRetries: "unpaid" });
    start = await eventCount();
    await env.control(`subscriptions/${sub.id}/advance`, {});
    const again = (await eventsSince(start)).filter(mine);
    for (const e of [...again, ...again]) await deliver(e, true);
    const second = await notices(teamId);
    expect(second).toHaveLength(4);
    expect(new Set(second.map((x) => x.dedupeKey)).size).toBe(4);
    expect(second.filter((x) => x.userId === member.id)).toEqual([]);

    // Stripe gives up retrying (unpaid): one more notice each, that usage is now refused.
    const renewal = (await env.stripe.subscriptions.retrieve(sub.id)).latest_invoice as string;
    start = await eventCount();
    await env.control(`invoices/${renewal}/retry`, {});
    expect((await env.stripe.subscriptions.retrieve(sub.id)).status).toBe("unpaid");
    const gaveUp = (await eventsSince(start)).filter(mine);
    for (const e of [...gaveUp].reverse()) await deliver(e, true);
    for (const e of gaveUp) await deliver(e, true);
    const unpaid = await env.t.db.notification.findMany({ where: { teamId, kind: "subscription_unpaid" } });
    expect(unpaid.map((x) => x.userId).sort()).toEqual([ownerId, billing.id].sort());
    expect(unpaid[0]?.body).toContain("API usage is refused");
    expect(await notices(teamId)).toHaveLength(4);
  });
});
