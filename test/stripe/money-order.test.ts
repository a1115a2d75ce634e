import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { createTopUpCheckout } from "../../lib/billing/topups/create-top-up-checkout";
import { addUtcMonths } from "../../lib/billing/dates";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { sweepAnnualPlanCredits } from "../../lib/billing/subscriptions/sweep-annual-plan-credits";
import { expireGrants } from "../../lib/billing/ledger/expire-grants";
import { chargeSavedCard } from "../../lib/billing/purchases/charge-saved-card";
import { settlePurchase } from "../../lib/billing/purchases/settle-purchase";
import { startPurchase } from "../../lib/billing/purchases/start-purchase";
import { putOnPlan, saveCard } from "../buy-credit/helpers";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { makeTeam, teamBalance } from "../billing/factories";
import { newTeamCheckout, signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

// Money after payment, whatever order Stripe's events arrive in: the events of a real scenario in the emulator are
// collected undelivered, then delivered by hand in the order a test (or fast-check) picks.

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
  await env.control("webhook", {}); // nothing is delivered on its own: each test delivers by hand
});
afterAll(() => env?.close());

const CREDITS_PER_DOLLAR = 80_000n;
type EmulatorEvent = { id: string; type: string; event: { id: string; data: { object: Record<string, unknown> } } };

async function eventCount(): Promise<number> {
  return (await env.control<{ data: unknown[] }>("events")).data.length;
}
async function eventsSince(count: number): Promise<EmulatorEvent[]> {
  return (await env.control<{ data: EmulatorEvent[] }>("events")).data.slice(count);
}
async function deliver(e: EmulatorEvent | string, as?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = typeof e === "string" ? e : JSON.stringify(as ? { ...e.event, id: as } : e.event);
  const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function deliverAll(events: EmulatorEvent[]): Promise<void> {
  for (const e of events) {
    const r = await deliver(e);
    expect(r.status, `${e.type}: ${JSON.stringify(r.body)}`).toBe(200);
  }
}

/** A paid (or later-settled) top-up in the emulator, its events not yet delivered. */
async function paidTopUp(dollars: number, settleLater = false) {
  const started = await newTeamCheckout(env, dollars);
  const { teamId } = started;
  const done = await env.control<{ session: { payment_intent: { id: string; latest_charge: string } } }>(`checkout_sessions/${started.sessionId}/complete`, {
    outcome: settleLater ? "pending" : "paid",
  });
  const pi = done.session.payment_intent.id;
  if (settleLater) await env.control(`payment_intents/${pi}/settle`, { outcome: "succeeded" });
  const chargeId = (await env.stripe.paymentIntents.retrieve(pi)).latest_charge as string;
  return { teamId, paymentId: started.paymentId, chargeId, paidCents: BigInt(dollars * 100), credits: BigInt(dollars) * CREDITS_PER_DOLLAR };
}

const payment = (id: string) => env.t.db.payment.findUniqueOrThrow({ where: { id } });

/** What Stripe's final state says the team keeps, computed from Stripe's own objects (not from our tables). */
async function expectedFromStripe(chargeId: string, paidCents: bigint, credits: bigint) {
  const charge = await env.stripe.charges.retrieve(chargeId);
  const disputes = (await env.stripe.disputes.list({ charge: chargeId })).data;
  const refunded = BigInt(charge.amount_refunded);
  const holding = disputes.filter((d) => !["won", "warning_closed", "prevented"].includes(d.status)).reduce((a, d) => a + BigInt(d.amount), 0n);
  const held = holding < paidCents - refunded ? holding : paidCents - refunded;
  const taken = (credits * (refunded + held)) / paidCents;
  const status = held > 0n ? "DISPUTED" : refunded >= paidCents ? "REFUNDED" : refunded > 0n ? "PARTIALLY_REFUNDED" : "SUCCEEDED";
  return { balance: credits - taken, status, refunded };
}

describe("a refund while a dispute is open", () => {
  it("inquiry, then a full refund, then the inquiry closes: the team ends with nothing from the payment, REFUNDED", async () => {
    const start = await eventCount();
    const p = await paidTopUp(25);
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, p.teamId)).toBe(p.credits);

    let mark = await eventCount();
    const inquiry = await env.control<{ id: string; status: string }>(`charges/${p.chargeId}/dispute`, { inquiry: true, reason: "general" });
    expect(inquiry.status).toBe("warning_needs_response");
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);
    expect((await payment(p.paymentId)).status).toBe("DISPUTED");

    mark = await eventCount();
    await env.stripe.refunds.create({ charge: p.chargeId });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);

    mark = await eventCount();
    await env.control(`disputes/${inquiry.id}/close`, { status: "warning_closed" });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);
    expect(await payment(p.paymentId)).toMatchObject({ status: "REFUNDED", refundedCents: 2500n });
    expect((await verifyBalance({ db: env.t.db, teamId: p.teamId })).problems).toEqual([]);
  });

  it("an inquiry closed without a refund gives the credits back; one that becomes a lost chargeback keeps them", async () => {
    const start = await eventCount();
    const a = await paidTopUp(10);
    const b = await paidTopUp(20);
    const da = await env.control<{ id: string }>(`charges/${a.chargeId}/dispute`, { inquiry: true });
    const db = await env.control<{ id: string }>(`charges/${b.chargeId}/dispute`, { inquiry: true });
    await env.control(`disputes/${da.id}/close`, { status: "warning_closed" });
    await env.control(`disputes/${db.id}/escalate`, {});
    await env.control(`disputes/${db.id}/close`, { status: "lost" });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, a.teamId)).toBe(a.credits);
    expect((await payment(a.paymentId)).status).toBe("SUCCEEDED");
    expect(await teamBalance(env.t.db, b.teamId)).toBe(0n);
    expect((await payment(b.paymentId)).status).toBe("DISPUTED");
  });

  it("a refund that fails after it succeeded gives the credits back once", async () => {
    const start = await eventCount();
    const p = await paidTopUp(40);
    const refund = await env.stripe.refunds.create({ charge: p.chargeId, amount: 1000 });
    await env.control(`refunds/${refund.id}/fail`, {});
    const events = await eventsSince(start);
    await deliverAll(events);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(p.credits);
    expect(await payment(p.paymentId)).toMatchObject({ status: "SUCCEEDED", refundedCents: 0n });
    // The refund's own events again, under new ids (Stripe re-sending what it knew then): still nothing taken.
    for (const e of events.filter((x) => x.type.startsWith("charge.refund") || x.type.startsWith("refund."))) await deliver(e, `${e.id}_again`);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(p.credits);
    const kinds = (await env.t.db.ledgerEntry.findMany({ where: { paymentId: p.paymentId }, orderBy: { seq: "asc" } })).map((e) => [e.kind, e.amount]);
    expect(kinds).toEqual([
      ["TOPUP", p.credits],
      ["REFUND", -(p.credits * 1000n) / 4000n],
      ["REFUND_REVERSAL", (p.credits * 1000n) / 4000n],
    ]);
  });
});

describe("what a refund takes back", () => {
  it("only what the payment's fulfilment credited: a code whose use was released added no bonus, so a full refund takes no bonus", async () => {
    const { teamId, slug, userId } = await makeTeam(env.t.db);
    await createCoupon({ db: env.t.db, input: { code: `REL${Date.now().toString(36).toUpperCase()}`, bonusPercent: "10" }, actorUserId: userId }).then(
      async (c) => {
        const started = await createTopUpCheckout({
          db: env.t.db,
          gateway: env.gateway,
          team: { id: teamId, slug, stripeCustomerId: null },
          actorUserId: null,
          input: { amount: "20", method: "card", coupon: c.code },
          ui: "embedded",
          appUrl: "http://app.test",
        });
        // The code's use was given back before the payment completed (as when a checkout is abandoned and reopened).
        await env.t.db.couponRedemption.updateMany({ where: { paymentId: started.payment.id }, data: { status: "RELEASED" } });
        const start = await eventCount();
        await env.control(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
        const pi = (await env.stripe.checkout.sessions.retrieve(started.sessionId)).payment_intent as string;
        await env.stripe.refunds.create({ payment_intent: pi });
        await deliverAll(await eventsSince(start));
        expect((await payment(started.payment.id)).bonusCredits).toBe(160_000n);
        expect(await teamBalance(env.t.db, teamId)).toBe(0n);
        expect((await payment(started.payment.id)).status).toBe("REFUNDED");
      },
    );
  });
});

describe("money news that arrives before the payment is known to be complete", () => {
  it("a dispute delivered before checkout.session.completed is matched through the PaymentIntent and applied at fulfilment", async () => {
    const start = await eventCount();
    const p = await paidTopUp(25);
    const paidEvents = await eventsSince(start);
    const mark = await eventCount();
    await env.control(`charges/${p.chargeId}/dispute`, { reason: "fraudulent" });
    const disputeEvents = await eventsSince(mark);
    expect(disputeEvents.map((e) => e.type)).toContain("charge.dispute.created");

    // Our payment does not know its charge or PaymentIntent yet, and the dispute carries no metadata.
    expect(await payment(p.paymentId)).toMatchObject({ status: "PENDING", stripeCharge: null });
    const created = await deliver(disputeEvents.find((e) => e.type === "charge.dispute.created")!);
    expect(created.body.outcome).toBe(`kept_until_paid ${p.paymentId}`);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);

    await deliverAll(paidEvents);
    await deliverAll(disputeEvents);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);
    expect((await payment(p.paymentId)).status).toBe("DISPUTED");
  });

  it("a refund delivered before the payment settled (a method that settles later) is applied when it settles", async () => {
    const start = await eventCount();
    const p = await paidTopUp(30, true);
    const paidEvents = await eventsSince(start);
    const mark = await eventCount();
    await env.stripe.refunds.create({ charge: p.chargeId, amount: 1500 });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, p.teamId)).toBe(0n);
    await deliverAll(paidEvents);
    expect(await teamBalance(env.t.db, p.teamId)).toBe(p.credits / 2n);
    expect(await payment(p.paymentId)).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 1500n });
  });
});

type Action =
  | { t: "refund"; percent: number }
  | { t: "inquiry" }
  | { t: "chargeback"; percent: number }
  | { t: "escalate" }
  | { t: "close"; status: "won" | "lost" | "warning_closed" }
  | { t: "failRefund"; which: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant("refund" as const), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("inquiry" as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("chargeback" as const), percent: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("escalate" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant("close" as const), status: fc.constantFrom("won" as const, "lost" as const, "warning_closed" as const) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("failRefund" as const), which: fc.nat(3) }) },
);

/** Plays actions against the emulator; what Stripe would refuse (a refund during a chargeback...) is skipped. */
async function play(chargeId: string, paidCents: number, actions: Action[]): Promise<void> {
  let dispute: string | null = null;
  const refunds: string[] = [];
  for (const a of actions) {
    try {
      if (a.t === "refund")
        refunds.push((await env.stripe.refunds.create({ charge: chargeId, amount: Math.max(1, Math.floor((paidCents * a.percent) / 100)) })).id);
      else if (a.t === "inquiry") dispute = (await env.control<{ id: string }>(`charges/${chargeId}/dispute`, { inquiry: true })).id;
      else if (a.t === "chargeback")
        dispute = (await env.control<{ id: string }>(`charges/${chargeId}/dispute`, { amount: Math.max(1, Math.floor((paidCents * a.percent) / 100)) })).id;
      else if (a.t === "escalate" && dispute) await env.control(`disputes/${dispute}/escalate`, {});
      else if (a.t === "close" && dispute) await env.control(`disputes/${dispute}/close`, { status: a.status });
      else if (a.t === "failRefund" && refunds.length > 0) await env.control(`refunds/${refunds[a.which % refunds.length]}/fail`, {});
    } catch (e) {
      if (
        !/emulator .* 400|StripeInvalidRequestError|Invalid|cannot|already|not an open|must/i.test(
          String((e as Error).message) + String((e as { type?: string }).type),
        )
      )
        throw e;
    }
  }
}

/** Fisher-Yates with a small seeded generator (mulberry32), so fast-check can shrink and replay the order. */
function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

type Delivery = { e: EmulatorEvent; as?: string } | { call: () => Promise<unknown> };

/** A shuffled delivery schedule: every event at least once, some again (same id, and re-sent under a new id). */
function scheduleOf(events: EmulatorEvent[], seed: number, repeats: number[]): Delivery[] {
  const schedule: Delivery[] = shuffle(events, seed).map((e) => ({ e }));
  for (const [n, r] of repeats.entries()) {
    const e = events[r % events.length]!;
    schedule.splice((r * 7 + n) % (schedule.length + 1), 0, { e, as: n % 2 === 0 ? undefined : `${e.id}_resent${n}` });
  }
  return schedule;
}

/** Delivers a schedule `batch` at a time, concurrently within a batch; every delivery must be answered 200. */
async function deliverSchedule(schedule: Delivery[], batch: number): Promise<void> {
  for (let i = 0; i < schedule.length; i += batch) {
    await Promise.all(
      schedule.slice(i, i + batch).map(async (d) => {
        if ("call" in d) return d.call();
        const r = await deliver(d.e, d.as);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }),
    );
  }
}

describe("any order, any repeat", () => {
  it("every order, repetition and interleaving of a payment's events ends at the position Stripe's final state describes (fast-check)", async () => {
    const seen = { refunded: 0, disputed: 0, failedRefund: 0, givenBack: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          dollars: fc.integer({ min: 5, max: 120 }),
          settleLater: fc.boolean(),
          actions: fc.array(action, { maxLength: 6 }),
          seed: fc.integer(),
          repeats: fc.array(fc.nat(40), { maxLength: 8 }),
          batch: fc.integer({ min: 1, max: 4 }),
        }),
        async ({ dollars, settleLater, actions, seed, repeats, batch }) => {
          const start = await eventCount();
          const p = await paidTopUp(dollars, settleLater);
          await play(p.chargeId, dollars * 100, actions);
          const events = await eventsSince(start);
          await deliverSchedule(scheduleOf(events, seed, repeats), batch);
          const expected = await expectedFromStripe(p.chargeId, p.paidCents, p.credits);
          if (expected.refunded > 0n) seen.refunded++;
          if (expected.status === "DISPUTED") seen.disputed++;
          if (events.some((e) => e.type === "refund.failed")) seen.failedRefund++;
          if (events.some((e) => e.type === "charge.dispute.closed") && expected.status !== "DISPUTED") seen.givenBack++;
          expect(await teamBalance(env.t.db, p.teamId)).toBe(expected.balance);
          expect(await payment(p.paymentId)).toMatchObject({ status: expected.status, refundedCents: expected.refunded });
          expect((await verifyBalance({ db: env.t.db, teamId: p.teamId })).problems).toEqual([]);
        },
      ),
      { numRuns: 25 },
    );
    // The runs covered the interesting cases, not only payments nobody touched.
    expect(Math.min(seen.refunded, seen.disputed), JSON.stringify(seen)).toBeGreaterThan(0);
  }, 300_000);
});

/** A team whose Stripe customer pays a new Pro subscription with a card; the subscription's events not yet delivered. */
async function paidSubscription(interval: "month" | "year" = "month") {
  const lookup = interval === "month" ? "pro_monthly" : "pro_annual";
  const existing = (await env.stripe.prices.list({ lookup_keys: [lookup] })).data[0];
  const price =
    existing ??
    (await env.stripe.prices.create({
      product: (await env.stripe.products.create({ name: "Pro" })).id,
      currency: "usd",
      unit_amount: interval === "month" ? 4900 : 48804,
      recurring: { interval },
      lookup_key: lookup,
    }));
  const { teamId } = await makeTeam(env.t.db);
  const customer = await env.stripe.customers.create({ email: "owner@example.test" });
  const pm = await env.stripe.paymentMethods.attach("pm_card_visa", { customer: customer.id });
  await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  await env.t.db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customer.id } });
  const sub = await env.stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  const invoice = await env.stripe.invoices.retrieve(sub.latest_invoice as string);
  const paid = (await env.stripe.invoicePayments.list({ invoice: invoice.id })).data[0]?.payment as { payment_intent: string };
  const chargeId = (await env.stripe.paymentIntents.retrieve(paid.payment_intent)).latest_charge as string;
  return { teamId, invoiceId: invoice.id, chargeId, paidCents: BigInt(invoice.total), credits: PRO_CREDITS };
}
const PRO_CREDITS = 20_000_000n;
const planCredits = async (teamId: string) =>
  (await env.t.db.ledgerEntry.findMany({ where: { teamId, kind: "PLAN_GRANT" } })).reduce((s, e) => s + e.amount, 0n);

describe("a subscription invoice's charge refunded or disputed", () => {
  it("takes back the plan credits the invoice granted: a full refund all, a dispute its share until it is won", async () => {
    let start = await eventCount();
    const s = await paidSubscription();
    await env.t.db.webhookEndpoint.create({ data: { teamId: s.teamId, url: "https://hooks.example.test/x", events: ["payment_refunded"], secret: "whsec_x" } });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(s.credits);

    start = await eventCount();
    await env.stripe.refunds.create({ charge: s.chargeId, amount: Number(s.paidCents) / 4 });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(s.credits - s.credits / 4n);

    start = await eventCount();
    const dispute = await env.control<{ id: string }>(`charges/${s.chargeId}/dispute`, { reason: "fraudulent" });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(0n); // the rest is held by the chargeback
    start = await eventCount();
    await env.control(`disputes/${dispute.id}/close`, { status: "won" });
    await deliverAll(await eventsSince(start));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(s.credits - s.credits / 4n);

    const invoice = await env.t.db.invoice.findUniqueOrThrow({ where: { stripeInvoiceId: s.invoiceId } });
    expect(invoice).toMatchObject({ refundedCents: s.paidCents / 4n, heldCents: 0n });
    expect(await planCredits(s.teamId)).toBe(s.credits); // granted once; the take-backs are entries of their own
    const audits = await env.t.db.auditLog.findMany({ where: { teamId: s.teamId, targetId: invoice.id }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["invoice.refund", "invoice.dispute", "invoice.dispute_closed"]);
    const told = await env.t.db.webhookEvent.findMany({ where: { teamId: s.teamId, type: "payment_refunded" }, orderBy: { createdAt: "asc" } });
    expect(told.map((e) => e.data)).toEqual([
      expect.objectContaining({ invoice_id: invoice.id, payment_id: null, kind: "refund", refunded_cents: 1225, credits_taken_back: 5_000_000 }),
      expect.objectContaining({ invoice_id: invoice.id, kind: "dispute", disputed_cents: 3675, credits_taken_back: 15_000_000 }),
    ]);
    expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
  });

  it("a refund delivered before any of the subscription's events is applied when the invoice grants its credits", async () => {
    const start = await eventCount();
    const s = await paidSubscription();
    const paidEvents = await eventsSince(start);
    const mark = await eventCount();
    await env.stripe.refunds.create({ charge: s.chargeId });
    await deliverAll(await eventsSince(mark));
    expect(await teamBalance(env.t.db, s.teamId)).toBe(0n);
    await deliverAll(paidEvents);
    expect(await teamBalance(env.t.db, s.teamId)).toBe(0n);
    expect(await env.t.db.invoice.findUniqueOrThrow({ where: { stripeInvoiceId: s.invoiceId } })).toMatchObject({ refundedCents: s.paidCents });
    expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
  });

  it("credits that expired unused are not taken again: the team loses max(its share, what it left unused), expiry first or refund first", async () => {
    const ends: Record<string, bigint> = {};
    for (const percent of [100, 50]) {
      for (const expiryFirst of [true, false]) {
        let start = await eventCount();
        const s = await paidSubscription();
        await deliverAll(await eventsSince(start));
        await debitCredits({ db: env.t.db, teamId: s.teamId, idempotencyKey: `use-${s.invoiceId}`, amount: s.credits / 4n });
        const grant = await env.t.db.creditGrant.findFirstOrThrow({ where: { teamId: s.teamId, source: "PLAN" } });
        const expire = () => expireGrants({ db: env.t.db, teamId: s.teamId, now: new Date(grant.expiresAt!.getTime() + 1000) });
        if (expiryFirst) await expire();
        start = await eventCount();
        await env.stripe.refunds.create({ charge: s.chargeId, amount: Math.floor((Number(s.paidCents) * percent) / 100) });
        await deliverAll(await eventsSince(start));
        if (!expiryFirst) await expire();
        // A later fact (the dispute of what is left, then won) reconciles again: the position stays.
        if (percent < 100) {
          start = await eventCount();
          const d = await env.control<{ id: string }>(`charges/${s.chargeId}/dispute`, { amount: Number(s.paidCents) / 2 });
          await env.control(`disputes/${d.id}/close`, { status: "won" });
          await deliverAll(await eventsSince(start));
        }
        ends[`${percent}% ${expiryFirst ? "after" : "before"} expiry`] = await teamBalance(env.t.db, s.teamId);
        expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
      }
    }
    // 20M granted, 5M used, 15M left unused: a full refund costs 20M (5M owed), half of it 10M (covered by what expired).
    expect(ends).toEqual({
      "100% after expiry": -(PRO_CREDITS / 4n),
      "100% before expiry": -(PRO_CREDITS / 4n),
      "50% after expiry": 0n,
      "50% before expiry": 0n,
    });
  });

  it("an annual plan's later months, granted by the plan credits job, are paid by the yearly invoice: its refund takes back their share too", async () => {
    const ends: bigint[] = [];
    for (const percent of [100, 50]) {
      let start = await eventCount();
      const s = await paidSubscription("year");
      await deliverAll(await eventsSince(start));
      expect(await teamBalance(env.t.db, s.teamId)).toBe(s.credits);
      start = await eventCount();
      await env.stripe.refunds.create({ charge: s.chargeId, amount: Math.floor((Number(s.paidCents) * percent) / 100) });
      await deliverAll(await eventsSince(start));
      const sub = await env.t.db.subscription.findUniqueOrThrow({ where: { teamId: s.teamId } });
      expect(sub.billingCycle).toBe("ANNUAL");
      for (const m of [1, 2]) await sweepAnnualPlanCredits({ db: env.t.db, now: new Date(addUtcMonths(sub.currentPeriodStart, m).getTime() + 3_600_000) });
      expect(await planCredits(s.teamId)).toBe(3n * s.credits);
      ends.push(await teamBalance(env.t.db, s.teamId));
      expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
    }
    // Three months granted: all taken back after a full refund; after half of it, half of each month stays.
    expect(ends).toEqual([0n, (3n * PRO_CREDITS) / 2n]);
  });

  it("any order, repetition and interleaving of the subscription's, refunds' and disputes' events ends where Stripe's final state says (fast-check)", async () => {
    const seen = { refunded: 0, disputed: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          actions: fc.array(action, { minLength: 1, maxLength: 5 }),
          seed: fc.integer(),
          repeats: fc.array(fc.nat(40), { maxLength: 6 }),
          batch: fc.integer({ min: 1, max: 4 }),
        }),
        async ({ actions, seed, repeats, batch }) => {
          const start = await eventCount();
          const s = await paidSubscription();
          await play(s.chargeId, Number(s.paidCents), actions);
          const events = await eventsSince(start);
          await deliverSchedule(scheduleOf(events, seed, repeats), batch);
          const expected = await expectedFromStripe(s.chargeId, s.paidCents, s.credits);
          if (expected.refunded > 0n) seen.refunded++;
          if (expected.status === "DISPUTED") seen.disputed++;
          expect(await teamBalance(env.t.db, s.teamId)).toBe(expected.balance);
          expect(await planCredits(s.teamId)).toBe(s.credits);
          expect((await env.t.db.invoice.findUniqueOrThrow({ where: { stripeInvoiceId: s.invoiceId } })).refundedCents).toBe(expected.refunded);
          expect((await verifyBalance({ db: env.t.db, teamId: s.teamId })).problems).toEqual([]);
        },
      ),
      { numRuns: 20 },
    );
    expect(Math.min(seen.refunded, seen.disputed), JSON.stringify(seen)).toBeGreaterThan(0);
  }, 300_000);
});

describe("Buy Credit: the charge's own news in any order", () => {
  it("payment_intent.succeeded, refunds and disputes in any order, with the settle after the charge racing them, end where Stripe says (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          dollars: fc.integer({ min: 10, max: 500 }),
          actions: fc.array(action, { maxLength: 5 }),
          seed: fc.integer(),
          repeats: fc.array(fc.nat(40), { maxLength: 6 }),
          batch: fc.integer({ min: 1, max: 4 }),
          settleAt: fc.nat(20),
        }),
        async ({ dollars, actions, seed, repeats, batch, settleAt }) => {
          const { teamId } = await makeTeam(env.t.db);
          await putOnPlan(env.t.db, teamId, "pro");
          const card = await saveCard(env.t.db, env.stripe, teamId);
          const start = await eventCount();
          // The charge is made and its answer lost (no settle yet): our payment does not know its PaymentIntent.
          const { payment: purchase } = await startPurchase({
            db: env.t.db,
            teamId,
            actorUserId: null,
            input: { amount: String(dollars), idempotencyKey: `order-${seed}-${Date.now()}` },
          });
          const intent = await chargeSavedCard({ gateway: env.gateway, payment: purchase, customerId: card.customerId, paymentMethodId: card.paymentMethodId });
          expect(intent.status).toBe("succeeded");
          await play(intent.latestChargeId!, dollars * 100, actions);
          const events = await eventsSince(start);
          const schedule = scheduleOf(events, seed, repeats);
          // The settle after the charge (or a retry of it), somewhere among the webhooks.
          schedule.splice(settleAt % (schedule.length + 1), 0, {
            call: async () => settlePurchase({ db: env.t.db, intent: await env.gateway.retrievePaymentIntent(intent.id) }),
          });
          await deliverSchedule(schedule, batch);
          const credits = BigInt(dollars) * CREDITS_PER_DOLLAR;
          const expected = await expectedFromStripe(intent.latestChargeId!, BigInt(dollars * 100), credits);
          expect(await teamBalance(env.t.db, teamId)).toBe(expected.balance);
          expect(await payment(purchase.id)).toMatchObject({ status: expected.status, refundedCents: expected.refunded });
          expect((await verifyBalance({ db: env.t.db, teamId })).problems).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  }, 300_000);
});
