import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as invoicesApi } from "../../app/api/v1/billing/invoices/route";
import { listInvoices } from "../../lib/billing/invoices/list-invoices";
import { upsertStripeInvoice } from "../../lib/billing/invoices/upsert-stripe-invoice";
import { toStripeInvoiceSnapshot } from "../../lib/stripe/purchase-event-handlers";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { call, makeKey } from "../api/helpers";
import { makeTeam } from "../billing/factories";
import { signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

// Subscription invoices on Invoices: copied from Stripe's invoice.* events (the invoice read again from Stripe), one row
// per invoice whatever the order and number of deliveries, in GET /api/v1/billing/invoices for its own team only.

let env: StripeTestEnv;
let pro: Stripe.Price;
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {}); // nothing is delivered on its own: each test delivers by hand
  const product = await env.stripe.products.create({ name: "Pro" });
  pro = await env.stripe.prices.create({
    product: product.id,
    currency: "usd",
    unit_amount: 4900,
    recurring: { interval: "month" },
    lookup_key: "pro_monthly",
  });
});
afterAll(() => env?.close());

type EmulatorEvent = { id: string; type: string; event: { id: string; data: { object: Record<string, unknown> } } };
const events = async () => (await env.control<{ data: EmulatorEvent[] }>("events")).data;

async function deliver(e: EmulatorEvent, as: string): Promise<void> {
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, JSON.stringify({ ...e.event, id: as })));
  expect(res.status, `${e.type}: ${await res.text()}`).toBe(200);
}

/** Every invoice.* event of the customer, reversed then again in order, each under fresh event ids. */
async function deliverShuffled(customerId: string, round: string): Promise<string[]> {
  const mine = (await events()).filter((e) => e.type.startsWith("invoice.") && e.event.data.object.customer === customerId);
  expect(mine.length).toBeGreaterThan(0);
  const all = [...[...mine].reverse(), ...mine, mine[0]!];
  for (const [i, e] of all.entries()) await deliver(e, `${e.id}_${round}_${i}`);
  return mine.map((e) => e.type);
}

/** A team whose Stripe customer's default card declines every charge, with a Visa to pay with later. */
async function teamWithDecliningCard() {
  const team = await makeTeam(env.t.db);
  const customer = await env.stripe.customers.create({ email: "owner@example.test" });
  const failing = await env.stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: customer.id });
  await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
  const visa = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
  await env.t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customer.id } });
  return { ...team, customer, visa };
}

/** A subscription whose first invoice failed to charge: that invoice is open. */
async function openInvoice(customerId: string): Promise<Stripe.Invoice> {
  const sub = await env.stripe.subscriptions.create({ customer: customerId, items: [{ price: pro.id }], payment_behavior: "allow_incomplete" });
  const invoice = await env.stripe.invoices.retrieve(String(sub.latest_invoice));
  expect(invoice.status).toBe("open");
  return invoice;
}

const rows = (teamId: string) => env.t.db.invoice.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } });

describe("subscription invoices copied from Stripe", () => {
  it("duplicated and reordered events of an invoice that failed, then was paid, end in one paid row with Stripe's figures", async () => {
    const { teamId, customer, visa } = await teamWithDecliningCard();
    const invoice = await openInvoice(customer.id);
    const paid = await env.stripe.invoices.pay(invoice.id, { payment_method: visa.id });
    expect(paid.status).toBe("paid");
    const types = await deliverShuffled(customer.id, "a");
    expect(types).toEqual(expect.arrayContaining(["invoice.finalized", "invoice.payment_failed", "invoice.paid"]));

    const copied = await rows(teamId);
    expect(copied).toHaveLength(1);
    expect(copied[0]).toMatchObject({
      source: "STRIPE",
      stripeInvoiceId: invoice.id,
      number: paid.number,
      status: "PAID",
      amountCents: 4900n,
      amountDueCents: 4900n,
      amountPaidCents: 4900n,
      currency: "usd",
      paidAt: new Date(paid.status_transitions.paid_at! * 1000),
      hostedUrl: paid.hosted_invoice_url,
      pdfUrl: paid.invoice_pdf,
    });
    expect(copied[0]!.pdfUrl).toMatch(/\/pdf$/);
  });

  it("a snapshot read before the one already copied never moves the row back (paid stays paid, void stays void)", async () => {
    const { teamId, customer, visa } = await teamWithDecliningCard();
    const invoice = await openInvoice(customer.id);
    const whenOpen = toStripeInvoiceSnapshot(await env.stripe.invoices.retrieve(invoice.id));
    const whenPaid = toStripeInvoiceSnapshot(await env.stripe.invoices.pay(invoice.id, { payment_method: visa.id }));
    await upsertStripeInvoice({ db: env.t.db, snapshot: whenPaid });
    await upsertStripeInvoice({ db: env.t.db, snapshot: whenOpen });
    expect(await rows(teamId)).toEqual([expect.objectContaining({ status: "PAID", amountPaidCents: 4900n, paidAt: whenPaid.paidAt })]);
    await upsertStripeInvoice({ db: env.t.db, snapshot: { ...whenPaid, status: "void" } }); // not a move Stripe makes
    expect((await rows(teamId))[0]).toMatchObject({ status: "PAID" });

    const other = await openInvoice(customer.id);
    const open = toStripeInvoiceSnapshot(other);
    const voided = toStripeInvoiceSnapshot(await env.stripe.invoices.voidInvoice(other.id));
    await upsertStripeInvoice({ db: env.t.db, snapshot: voided });
    await upsertStripeInvoice({ db: env.t.db, snapshot: open });
    expect((await env.t.db.invoice.findUniqueOrThrow({ where: { stripeInvoiceId: other.id } })).status).toBe("VOID");
  });

  it("GET /api/v1/billing/invoices answers each status in the seed's shape, field by field, and only the key's team's invoices", async () => {
    const { teamId, userId, customer, visa } = await teamWithDecliningCard();
    const toPay = await openInvoice(customer.id);
    const paid = await env.stripe.invoices.pay(toPay.id, { payment_method: visa.id });
    const voided = await env.stripe.invoices.voidInvoice((await openInvoice(customer.id)).id);
    const uncollectible = await env.stripe.invoices.markUncollectible((await openInvoice(customer.id)).id);
    const open = await openInvoice(customer.id);
    // Another team, with its own customer and paid invoice, and a Stripe customer that is no team's.
    const other = await teamWithDecliningCard();
    const otherInvoice = await openInvoice(other.customer.id);
    await env.stripe.invoices.pay(otherInvoice.id, { payment_method: other.visa.id });
    const stranger = await env.stripe.customers.create({ email: "nobody@example.test" });
    const strangerCard = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: stranger.id });
    await env.stripe.subscriptions.create({ customer: stranger.id, items: [{ price: pro.id }], default_payment_method: strangerCard.id });
    for (const c of [customer.id, other.customer.id, stranger.id]) await deliverShuffled(c, "v1");

    const key = await makeKey(env.t.db, teamId, userId, "READ_ONLY");
    const res = await call(invoicesApi, { key: key.secret });
    expect(res.status).toBe(200);
    const byId = new Map((res.json.invoices as { invoice_id: string }[]).map((i) => [i.invoice_id, i]));
    expect([...byId.keys()].sort()).toEqual([paid.id, voided.id, uncollectible.id, open.id].sort());
    const period = (i: Stripe.Invoice) => new Date(i.lines.data[0]!.period.start * 1000);
    const expected = (i: Stripe.Invoice, status: string, due: number, paidCents: number, paidAt: string | null) => ({
      invoice_id: i.id,
      number: i.number,
      source: "stripe",
      amount_usd_cents: 4900,
      amount_due_usd_cents: due,
      amount_paid_usd_cents: paidCents,
      currency: "usd",
      status,
      period: period(i).toISOString().slice(0, 7),
      period_start: period(i).toISOString(),
      period_end: new Date(i.lines.data[0]!.period.end * 1000).toISOString(),
      paid_at: paidAt,
      stripe_invoice_url: i.hosted_invoice_url,
      invoice_pdf_url: i.invoice_pdf,
    });
    expect(byId.get(paid.id)).toEqual(expected(paid, "paid", 4900, 4900, new Date(paid.status_transitions.paid_at! * 1000).toISOString()));
    expect(byId.get(voided.id)).toEqual(expected(voided, "void", 4900, 0, null));
    expect(byId.get(uncollectible.id)).toEqual(expected(uncollectible, "uncollectible", 4900, 0, null));
    expect(byId.get(open.id)).toEqual(expected(open, "open", 4900, 0, null));
    expect(paid.hosted_invoice_url).toMatch(/^http/);

    // The other team sees its own invoice only; the stranger's invoices were copied nowhere.
    const otherKey = await makeKey(env.t.db, other.teamId, other.userId, "READ_ONLY");
    const theirs = await call(invoicesApi, { key: otherKey.secret });
    expect((theirs.json.invoices as { invoice_id: string }[]).map((i) => i.invoice_id)).toEqual([otherInvoice.id]);
    expect((await listInvoices({ db: env.t.db, teamId: other.teamId })).invoices).toHaveLength(1);
    expect(
      await env.t.db.invoice.count({ where: { stripeInvoiceId: { in: (await env.stripe.invoices.list({ customer: stranger.id })).data.map((i) => i.id) } } }),
    ).toBe(0);
  });
});
