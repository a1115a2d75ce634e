import fc from "fast-check";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { getTeamPlan } from "../../lib/billing/plans/get-team-plan";
import { readSubscriptionState } from "../../lib/billing/subscriptions/read-subscription-state";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { makeTeam } from "../billing/factories";
import { signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

// Subscriptions and plan credits whatever order Stripe's events arrive in: the events of a real scenario in the
// emulator are collected undelivered, then delivered by hand in the order a test (or fast-check) picks.

let env: StripeTestEnv;
let prices: { pro: Stripe.Price; scale: Stripe.Price };
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {}); // nothing is delivered on its own
  const price = async (name: string, cents: number, lookup: string) => {
    const product = await env.stripe.products.create({ name });
    return env.stripe.prices.create({ product: product.id, currency: "usd", unit_amount: cents, recurring: { interval: "month" }, lookup_key: lookup });
  };
  prices = { pro: await price("Pro", 4900, "pro_monthly"), scale: await price("Scale", 19900, "scale_monthly") };
});
afterAll(() => env?.close());

const PRO = 20_000_000n;
const SCALE = 100_000_000n;
type EmulatorEvent = { id: string; type: string; event: { id: string; data: { object: Record<string, unknown> } } };

async function eventCount(): Promise<number> {
  return (await env.control<{ data: unknown[] }>("events")).data.length;
}
async function eventsSince(count: number): Promise<EmulatorEvent[]> {
  return (await env.control<{ data: EmulatorEvent[] }>("events")).data.slice(count);
}
async function deliver(e: EmulatorEvent, as?: string): Promise<void> {
  const payload = JSON.stringify(as ? { ...e.event, id: as } : e.event);
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload));
  const body = await res.text();
  expect(res.status, `${e.type}: ${body}`).toBe(200);
}

/** A team with a Stripe customer holding a card (or a failing default card and a good one to pay with later). */
async function customerTeam(defaultCard = "pm_card_visa") {
  const { teamId } = await makeTeam(env.t.db);
  const customer = await env.stripe.customers.create({ email: "owner@example.test" });
  const pm = await env.stripe.paymentMethods.attach(defaultCard, { customer: customer.id });
  await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  await env.t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customer.id } });
  return { teamId, customer };
}

/** Points the Stripe customer at a fresh team (each property run starts from nothing). */
async function freshTeamFor(customerId: string): Promise<string> {
  const { teamId } = await makeTeam(env.t.db);
  const old = await env.t.db.team.findMany({ where: { stripeCustomerId: customerId }, select: { id: true } });
  await env.t.db.subscription.deleteMany({ where: { teamId: { in: old.map((t) => t.id) } } });
  await env.t.db.team.updateMany({ where: { stripeCustomerId: customerId }, data: { stripeCustomerId: null } });
  await env.t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customerId } });
  return teamId;
}

async function planCredits(teamId: string) {
  const entries = await env.t.db.ledgerEntry.findMany({ where: { teamId, kind: "PLAN_GRANT" } });
  return { total: entries.reduce((s, e) => s + e.amount, 0n), keys: entries.map((e) => e.idempotencyKey).sort() };
}
const subscriptionRow = (teamId: string) => env.t.db.subscription.findUnique({ where: { teamId } });

describe("plan credits", () => {
  it("a paid first invoice grants the plan's monthly credits exactly once, under duplicated and reversed events", async () => {
    const { teamId, customer } = await customerTeam();
    const start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.pro.id }] });
    expect(sub.status).toBe("active");
    const events = await eventsSince(start);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["customer.subscription.created", "invoice.paid"]));
    // Reversed (an invoice.paid before its subscription was created), each delivered twice under two event ids.
    for (const e of [...events].reverse()) {
      await deliver(e);
      await deliver(e);
      await deliver(e, `${e.id}_again`);
    }
    const credits = await planCredits(teamId);
    expect(credits.total).toBe(PRO);
    expect(credits.keys).toEqual([`plan:${String(sub.latest_invoice)}`]);
    const grant = await env.t.db.creditGrant.findFirstOrThrow({ where: { teamId, source: "PLAN" } });
    const row = await subscriptionRow(teamId);
    expect(grant.expiresAt?.getTime()).toBe(row?.currentPeriodEnd.getTime()); // expires with the cycle (CREDIT_EXPIRY_PLAN=cycle)
    expect(grant.priority).toBeLessThan(100); // drained before purchased credits
    expect(row).toMatchObject({ planId: "pro", status: "ACTIVE", stripeSubscriptionId: sub.id, cancelAtPeriodEnd: false });
    expect((await getTeamPlan({ db: env.t.db, teamId })).plan.id).toBe("pro");
    await expect(verifyBalance({ db: env.t.db, teamId })).resolves.toMatchObject({ ok: true });
  });

  it("an upgrade mid-cycle grants the difference once; a downgrade takes nothing back", async () => {
    const { teamId, customer } = await customerTeam();
    let start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.pro.id }] });
    for (const e of await eventsSince(start)) await deliver(e);
    expect((await planCredits(teamId)).total).toBe(PRO);

    start = await eventCount();
    await env.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: prices.scale.id }], proration_behavior: "always_invoice" });
    const upgrade = await eventsSince(start);
    for (const e of [...upgrade, ...upgrade.reverse()]) await deliver(e, `${e.id}_${Math.random().toString(36).slice(2)}`);
    expect((await planCredits(teamId)).total).toBe(SCALE);
    expect(await subscriptionRow(teamId)).toMatchObject({ planId: "scale", status: "ACTIVE" });

    start = await eventCount();
    await env.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: prices.pro.id }], proration_behavior: "none" });
    for (const e of await eventsSince(start)) await deliver(e);
    expect(await subscriptionRow(teamId)).toMatchObject({ planId: "pro" });
    expect((await planCredits(teamId)).total).toBe(SCALE); // nothing taken back
    await expect(verifyBalance({ db: env.t.db, teamId })).resolves.toMatchObject({ ok: true });
  });
});

describe("subscription state in every order (property)", () => {
  it("create on Pro, upgrade to Scale, cancel at period end: any order and duplicates end as Stripe says, 100M plan credits", async () => {
    const { customer } = await customerTeam();
    const start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.pro.id }] });
    await env.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: prices.scale.id }], proration_behavior: "always_invoice" });
    await env.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    const events = await eventsSince(start);
    expect(events.length).toBeGreaterThan(5);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(events, { minLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: 4 }),
        async (order, dups) => {
          run++;
          const teamId = await freshTeamFor(customer.id);
          for (const e of [...order, ...dups.map((i) => events[i]!)]) await deliver(e, `${e.id}_p${run}_${Math.random().toString(36).slice(2)}`);
          expect(await subscriptionRow(teamId)).toMatchObject({ planId: "scale", status: "ACTIVE", cancelAtPeriodEnd: true, stripeStatus: "active" });
          expect((await planCredits(teamId)).total).toBe(SCALE);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("create, then delete at once: any order ends canceled with the team on Free, the paid cycle's credits kept", async () => {
    const { customer } = await customerTeam();
    const start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.pro.id }] });
    await env.stripe.subscriptions.cancel(sub.id);
    const events = await eventsSince(start);
    expect(events.map((e) => e.type)).toContain("customer.subscription.deleted");
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(events, { minLength: events.length }), async (order) => {
        run++;
        const teamId = await freshTeamFor(customer.id);
        for (const e of order) await deliver(e, `${e.id}_d${run}`);
        expect(await subscriptionRow(teamId)).toMatchObject({ status: "CANCELED", stripeStatus: "canceled" });
        const plan = await getTeamPlan({ db: env.t.db, teamId });
        expect(plan.free).toBe(true);
        expect(plan.plan.id).toBe("free");
        expect((await planCredits(teamId)).total).toBe(PRO);
      }),
      { numRuns: 10 },
    );
  });
});

// Runs last: it moves the emulator's clock a month on.
describe("a failed renewal", () => {
  it("past_due keeps usage through the grace period, then unpaid refuses it (SUBSCRIPTION_UNPAID); a paid retry restores it", async () => {
    const { teamId, customer } = await customerTeam("pm_card_chargeCustomerFail");
    const visa = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
    let start = await eventCount();
    const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: prices.pro.id }], default_payment_method: visa.id });
    await env.stripe.subscriptions.update(sub.id, { default_payment_method: "" as unknown as string });
    await env.control("clock/advance", { seconds: 32 * 86400 });
    expect((await env.stripe.subscriptions.retrieve(sub.id)).status).toBe("past_due");
    const mine = (e: EmulatorEvent) => e.event.data.object.customer === customer.id;
    const failed = (await eventsSince(start)).filter(mine);
    expect(failed.map((e) => e.type)).toContain("invoice.payment_failed");
    for (const e of [...failed].reverse()) await deliver(e);

    const row = await subscriptionRow(teamId);
    expect(row).toMatchObject({ status: "PAST_DUE", planId: "pro" });
    const team = await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } });
    expect(team.unpaidFrom).not.toBeNull();
    expect(team.unpaidFrom!.getTime() - row!.pastDueSince!.getTime()).toBe(7 * 86400_000); // SUBSCRIPTION_GRACE_DAYS default
    expect((await getTeamPlan({ db: env.t.db, teamId })).plan.id).toBe("pro"); // still on its plan in the grace period

    expect(await readSubscriptionState({ db: env.t.db, teamId })).toMatchObject({ status: "past_due", graceEndsAt: team.unpaidFrom, usageRefused: false });
    const inGrace = await applyDebits({ db: env.t.db, teamId, debits: [{ idempotencyKey: "u1", amount: 10n }] });
    expect(inGrace[0]).toMatchObject({ status: "debited" });
    const late = new Date(team.unpaidFrom!.getTime() + 1000);
    const refused = await applyDebits({
      db: env.t.db,
      teamId,
      now: late,
      debits: [
        { idempotencyKey: "u2", amount: 10n },
        { idempotencyKey: "u1", amount: 10n },
      ],
    });
    expect(refused[0]).toMatchObject({ status: "rejected", code: "SUBSCRIPTION_UNPAID" });
    expect(await readSubscriptionState({ db: env.t.db, teamId, now: late })).toMatchObject({ status: "unpaid", usageRefused: true });
    const [api] = await recordUsage({ db: env.t.db, teamId, now: late, events: [{ idempotencyKey: "api-1", operation: "add", quantity: 1 }] });
    expect(api).toMatchObject({ status: "rejected", error: { code: "SUBSCRIPTION_UNPAID" } });
    expect(api?.error?.message).toMatch(/unpaid/);
    expect(refused[1]).toMatchObject({ status: "duplicate" }); // an already-recorded event still answers its first result

    start = await eventCount();
    const open = await env.stripe.invoices.list({ subscription: sub.id, status: "open" });
    await env.stripe.invoices.pay(open.data[0]!.id, { payment_method: visa.id });
    for (const e of [...(await eventsSince(start)).filter(mine)].reverse()) await deliver(e);
    expect(await subscriptionRow(teamId)).toMatchObject({ status: "ACTIVE", pastDueSince: null });
    expect((await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } })).unpaidFrom).toBeNull();
    const after = await applyDebits({ db: env.t.db, teamId, now: late, debits: [{ idempotencyKey: "u3", amount: 10n }] });
    expect(after[0]).toMatchObject({ status: "debited" });
    expect(await readSubscriptionState({ db: env.t.db, teamId, now: late })).toMatchObject({ status: "active", graceEndsAt: null, usageRefused: false });
    // The renewal that was finally paid granted its cycle's credits, once.
    expect((await planCredits(teamId)).total).toBe(2n * PRO);
  });
});
