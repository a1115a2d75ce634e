import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { expireGrants } from "../../lib/billing/ledger/expire-grants";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { fulfilCheckout } from "../../lib/billing/topups/fulfil-checkout";
import { stripeCheckoutGateway } from "../../lib/stripe/checkout-gateway";
import { createTopUpCheckout } from "../../lib/billing/topups/create-top-up-checkout";
import { stripeWebhookRoute } from "../../lib/stripe/webhook-route";
import { makeTeam, teamBalance } from "../billing/factories";
import { eventFor, signedWebhookRequest, startStripeTestEnv, type StripeTestEnv } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

// Default rate: 80,000 credits per dollar.
const CREDITS_25 = 2_000_000n;

async function startTopUp(teamId: string, slug: string, input: { amount: string; method?: string; coupon?: string }, ui: "embedded" | "hosted" = "embedded") {
  return createTopUpCheckout({
    db: env.t.db,
    gateway: env.gateway,
    team: { id: teamId, slug, stripeCustomerId: null },
    actorUserId: null,
    customerEmail: "payer@example.test",
    input: { method: "card", ...input },
    ui,
    appUrl: "http://app.test",
  });
}

const complete = (sessionId: string, outcome: "paid" | "pending" | "declined" = "paid") =>
  env.control<{ result: string; session: { payment_intent: { id: string; latest_charge: string } } }>(`checkout_sessions/${sessionId}/complete`, { outcome });

const payment = (id: string) => env.t.db.payment.findUniqueOrThrow({ where: { id } });
const entries = (teamId: string) => env.t.db.ledgerEntry.findMany({ where: { teamId }, orderBy: { seq: "asc" } });
const healthy = async (teamId: string) => expect((await verifyBalance({ db: env.t.db, teamId })).problems).toEqual([]);

describe("checkout → webhook → credits", () => {
  it("a $25 card top-up creates an embedded session for exactly that amount and credits once when the webhook arrives", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await startTopUp(teamId, slug, { amount: "25" });
    expect(started.clientSecret).toMatch(/_secret_/);
    const session = await env.stripe.checkout.sessions.retrieve(started.sessionId);
    expect(session).toMatchObject({ mode: "payment", amount_total: 2500, currency: "usd", client_reference_id: started.payment.id, ui_mode: "embedded_page" });
    expect(session.metadata).toMatchObject({ team_id: teamId, payment_id: started.payment.id, credits: CREDITS_25.toString() });
    expect(session.return_url).toBe(`http://app.test/t/${slug}/top-up/return?session_id={CHECKOUT_SESSION_ID}`);
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);

    await complete(started.sessionId);
    await env.delivered();
    expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
    const p = await payment(started.payment.id);
    expect(p).toMatchObject({ status: "SUCCEEDED", amountCents: 2500n, credits: CREDITS_25 });
    expect(p.stripePaymentIntent).toMatch(/^pi_/);
    expect(p.stripeCharge).toMatch(/^ch_/);
    expect((await entries(teamId)).map((e) => [e.kind, e.amount, e.idempotencyKey])).toEqual([["TOPUP", CREDITS_25, `topup:${p.id}`]]);
    expect(await env.t.db.stripeEvent.count({ where: { type: "checkout.session.completed" } })).toBeGreaterThanOrEqual(1);
    // The team's Stripe customer is remembered for later payments.
    expect((await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } })).stripeCustomerId).toMatch(/^cus_/);
    await healthy(teamId);
  });

  it("the same event delivered 20 times at once credits once", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    await env.control("webhook", { url: "http://127.0.0.1:9/nowhere" }); // keep the emulator from delivering first
    try {
      const started = await startTopUp(teamId, slug, { amount: "25" });
      await complete(started.sessionId);
      const events = await env.control<{ data: { id: string; object_id: string; event: unknown }[] }>("events?type=checkout.session.completed");
      const event = events.data.find((e) => e.object_id === started.sessionId)!;
      const payload = JSON.stringify(event.event);
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload))),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as { duplicate: boolean; outcome: string }[];
      expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
      expect(bodies.find((b) => !b.duplicate)?.outcome).toMatch(/^credited /);
      expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
      expect(await env.t.db.ledgerEntry.count({ where: { teamId } })).toBe(1);
      expect(await env.t.db.stripeEvent.count({ where: { id: event.id } })).toBe(1);
      await healthy(teamId);
    } finally {
      await env.control("webhook", { url: env.webhookUrl, secret: env.emulator.webhookSecret });
    }
  });

  it("the emulator's own concurrent redelivery (20 at once) and duplicate mode credit once", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    await env.control("delivery", { mode: "duplicate" });
    try {
      const started = await startTopUp(teamId, slug, { amount: "10" });
      await complete(started.sessionId);
      await env.delivered();
      const events = await env.control<{ data: { id: string; object_id: string }[] }>("events?type=checkout.session.completed");
      const event = events.data.find((e) => e.object_id === started.sessionId)!;
      const r = await env.control<{ attempts: { status: number }[] }>(`events/${event.id}/redeliver`, { times: 20, concurrent: true });
      expect(r.attempts.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(await teamBalance(env.t.db, teamId)).toBe(800_000n);
      expect(await env.t.db.ledgerEntry.count({ where: { teamId } })).toBe(1);
    } finally {
      await env.control("delivery", { mode: "normal" });
    }
  });

  it("the return page and the webhook racing each other credit once", async () => {
    for (let round = 0; round < 5; round++) {
      const { teamId, slug } = await makeTeam(env.t.db);
      await env.control("delivery", { mode: "hold" });
      const started = await startTopUp(teamId, slug, { amount: "25" });
      await complete(started.sessionId);
      const gateway = stripeCheckoutGateway(env.stripe);
      const [flushed, ...returns] = await Promise.all([
        env.control("delivery/flush", { order: "forward" }),
        fulfilCheckout({ db: env.t.db, sessionId: started.sessionId, gateway }),
        fulfilCheckout({ db: env.t.db, sessionId: started.sessionId, gateway }),
      ]);
      await env.control("delivery", { mode: "normal" });
      await env.delivered();
      expect(flushed).toBeTruthy();
      expect(returns.every((r) => r.outcome === "credited" || r.outcome === "already_credited")).toBe(true);
      expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
      expect(await env.t.db.ledgerEntry.count({ where: { teamId } })).toBe(1);
      await healthy(teamId);
    }
  });

  it("out-of-order delivery (expired, completed and refunded in reverse) converges", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    await env.control("delivery", { mode: "hold" });
    const started = await startTopUp(teamId, slug, { amount: "25" });
    const done = await complete(started.sessionId);
    await env.stripe.refunds.create({ payment_intent: done.session.payment_intent.id });
    await env.control("delivery/flush", { order: "reverse" });
    await env.control("delivery", { mode: "normal" });
    await env.delivered();
    // The refund arrived first: it fulfilled from Stripe's state, then took everything back.
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    expect((await payment(started.payment.id)).status).toBe("REFUNDED");
    expect((await entries(teamId)).map((e) => e.kind)).toEqual(["TOPUP", "REFUND"]);
    await healthy(teamId);
  });
});

describe("signatures", () => {
  it("a bad signature or a stale timestamp gets 400 and changes nothing", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    await env.control("delivery", { mode: "hold" });
    const started = await startTopUp(teamId, slug, { amount: "25" });
    await complete(started.sessionId);
    const events = await env.control<{ data: { id: string; object_id: string; event: unknown }[] }>("events?type=checkout.session.completed");
    const event = events.data.find((e) => e.object_id === started.sessionId)!;
    const payload = JSON.stringify(event.event);
    const eventsBefore = await env.t.db.stripeEvent.count();
    const secret = env.emulator.webhookSecret;

    const cases: [string, Request][] = [
      ["wrong secret", signedWebhookRequest(env.stripe, "whsec_not_the_secret", payload)],
      ["stale timestamp (10 minutes old)", signedWebhookRequest(env.stripe, secret, payload, { timestamp: Math.floor(Date.now() / 1000) - 600 })],
      [
        "tampered body",
        new Request("http://app.test/api/stripe/webhook", {
          method: "POST",
          headers: { "stripe-signature": env.stripe.webhooks.generateTestHeaderString({ payload, secret }) },
          body: payload.replace('"paid"', '"unpaid"'),
        }),
      ],
      ["no signature", new Request("http://app.test/api/stripe/webhook", { method: "POST", body: payload })],
      ["garbage signature", signedWebhookRequest(env.stripe, secret, payload, { signature: "t=1,v1=deadbeef" })],
    ];
    for (const [name, req] of cases) {
      const res = await stripeWebhookRoute(req);
      expect(res.status, name).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, name).toBe("BAD_SIGNATURE");
    }
    expect(await env.t.db.stripeEvent.count()).toBe(eventsBefore);
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    expect((await payment(started.payment.id)).status).toBe("PENDING");

    // The seed's path reaches the same handler; a fresh, valid signature is accepted.
    const ok = await stripeWebhookRoute(signedWebhookRequest(env.stripe, secret, payload, { path: "/api/v1/billing/stripe_webhook" }));
    expect(ok.status).toBe(200);
    expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
    await env.control("delivery", { mode: "normal" });
    await env.control("delivery/flush", { order: "forward" });
    await env.delivered();
    expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
  });

  it("a failure while applying rolls back the event and answers 500, so a retry applies it", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    await env.control("delivery", { mode: "hold" });
    const started = await startTopUp(teamId, slug, { amount: "25" });
    await complete(started.sessionId);
    const events = await env.control<{ data: { id: string; object_id: string; event: unknown }[] }>("events?type=checkout.session.completed");
    const event = events.data.find((e) => e.object_id === started.sessionId)!;
    const payload = JSON.stringify(event.event);
    // Stripe unreachable while the webhook re-reads the session: nothing may be recorded, so the retry still applies.
    const saved = process.env.STRIPE_API_BASE;
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
    try {
      const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload));
      expect(res.status).toBe(500);
    } finally {
      process.env.STRIPE_API_BASE = saved;
    }
    expect(await env.t.db.stripeEvent.count({ where: { id: event.id } })).toBe(0);
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    const retry = await stripeWebhookRoute(signedWebhookRequest(env.stripe, env.emulator.webhookSecret, payload));
    expect(retry.status).toBe(200);
    expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
    await env.control("delivery", { mode: "normal" });
    await env.control("delivery/flush", { order: "forward" });
    await env.delivered();
  });
});

describe("methods that settle later, declines, expiry", () => {
  it("a pending payment stays pending, then credits when it settles", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await startTopUp(teamId, slug, { amount: "25" });
    const done = await complete(started.sessionId, "pending");
    await env.delivered();
    expect((await payment(started.payment.id)).status).toBe("PENDING");
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    const r = await fulfilCheckout({ db: env.t.db, sessionId: started.sessionId, gateway: stripeCheckoutGateway(env.stripe) });
    expect(r.outcome).toBe("pending");

    await env.control(`payment_intents/${done.session.payment_intent.id}/settle`, { outcome: "succeeded" });
    await env.delivered();
    expect((await payment(started.payment.id)).status).toBe("SUCCEEDED");
    expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
  });

  it("a pending payment that fails is marked failed, credits nothing and gives the coupon back", async () => {
    const { teamId, slug, userId } = await makeTeam(env.t.db);
    await createCoupon({ db: env.t.db, input: { code: "SETTLEFAIL", bonusPercent: "10" }, actorUserId: userId });
    const started = await startTopUp(teamId, slug, { amount: "25", coupon: "settlefail" });
    const done = await complete(started.sessionId, "pending");
    await env.control(`payment_intents/${done.session.payment_intent.id}/settle`, { outcome: "failed" });
    await env.delivered();
    const p = await payment(started.payment.id);
    expect(p.status).toBe("FAILED");
    expect(p.failureMessage).toMatch(/declined/i);
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    expect(await env.t.db.couponRedemption.findUnique({ where: { paymentId: p.id } })).toMatchObject({ status: "RELEASED" });
    expect(await env.t.db.coupon.findUnique({ where: { code: "SETTLEFAIL" } })).toMatchObject({ redemptionCount: 0 });
  });

  it("a declined card credits nothing, keeps the checkout open and remembers why", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await startTopUp(teamId, slug, { amount: "25" });
    const r = await complete(started.sessionId, "declined");
    expect(r.result).toBe("declined");
    await env.delivered();
    const p = await payment(started.payment.id);
    expect(p.status).toBe("PENDING");
    expect(p.failureMessage).toBe("Your card was declined.");
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    // The same checkout can still be paid.
    await complete(started.sessionId, "paid");
    await env.delivered();
    expect(await teamBalance(env.t.db, teamId)).toBe(CREDITS_25);
    expect((await payment(started.payment.id)).failureMessage).toBeNull();
  });
});

describe("refunds and disputes take the credits back", () => {
  async function paidTopUp(amount = "25", coupon?: string) {
    const team = await makeTeam(env.t.db);
    const started = await startTopUp(team.teamId, team.slug, { amount, coupon });
    const done = await complete(started.sessionId);
    await env.delivered();
    return { ...team, paymentId: started.payment.id, pi: done.session.payment_intent.id, charge: done.session.payment_intent.latest_charge };
  }

  it("a full refund takes back all credits; a partial one its share", async () => {
    const a = await paidTopUp();
    await env.stripe.refunds.create({ payment_intent: a.pi, amount: 1000 });
    await env.delivered();
    expect(await teamBalance(env.t.db, a.teamId)).toBe(CREDITS_25 - 800_000n);
    expect(await payment(a.paymentId)).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedCents: 1000n });
    await env.stripe.refunds.create({ payment_intent: a.pi });
    await env.delivered();
    expect(await teamBalance(env.t.db, a.teamId)).toBe(0n);
    expect(await payment(a.paymentId)).toMatchObject({ status: "REFUNDED", refundedCents: 2500n });
    expect((await entries(a.teamId)).map((e) => [e.kind, e.amount])).toEqual([
      ["TOPUP", CREDITS_25],
      ["REFUND", -800_000n],
      ["REFUND", -1_200_000n],
    ]);
    await healthy(a.teamId);
  });

  it("a refund after spending takes the balance negative, and then spending stops", async () => {
    const a = await paidTopUp();
    await debitCredits({ db: env.t.db, teamId: a.teamId, amount: 1_500_000n, idempotencyKey: "spend-1", operation: "infer_7b", quantity: 1n });
    await env.stripe.refunds.create({ payment_intent: a.pi });
    await env.delivered();
    expect(await teamBalance(env.t.db, a.teamId)).toBe(-1_500_000n);
    await expect(
      debitCredits({ db: env.t.db, teamId: a.teamId, amount: 1n, idempotencyKey: "spend-2", operation: "infer_7b", quantity: 1n }),
    ).rejects.toMatchObject({
      code: "INSUFFICIENT_CREDITS",
    });
    await healthy(a.teamId);
  });

  it("a dispute takes the credits back; winning it gives them back; losing keeps them taken", async () => {
    const won = await paidTopUp();
    const d1 = await env.control<{ id: string }>(`charges/${won.charge}/dispute`, {});
    await env.delivered();
    expect(await teamBalance(env.t.db, won.teamId)).toBe(0n);
    expect((await payment(won.paymentId)).status).toBe("DISPUTED");
    await env.control(`disputes/${d1.id}/close`, { status: "won" });
    await env.delivered();
    expect(await teamBalance(env.t.db, won.teamId)).toBe(CREDITS_25);
    expect((await payment(won.paymentId)).status).toBe("SUCCEEDED");
    expect((await entries(won.teamId)).map((e) => e.kind)).toEqual(["TOPUP", "DISPUTE", "DISPUTE_REVERSAL"]);

    const lost = await paidTopUp();
    const d2 = await env.control<{ id: string }>(`charges/${lost.charge}/dispute`, {});
    await env.control(`disputes/${d2.id}/close`, { status: "lost" });
    await env.delivered();
    expect(await teamBalance(env.t.db, lost.teamId)).toBe(0n);
    expect((await payment(lost.paymentId)).status).toBe("DISPUTED");
    await healthy(won.teamId);
    await healthy(lost.teamId);
  });

  it("a refund takes back the promo bonus and the coupon's credits with the payment", async () => {
    const admin = await makeTeam(env.t.db);
    await createCoupon({ db: env.t.db, input: { code: "REFUNDME", bonusPercent: "10", grantCredits: "50000" }, actorUserId: admin.userId });
    const a = await paidTopUp("25", "REFUNDME");
    expect(await teamBalance(env.t.db, a.teamId)).toBe(CREDITS_25 + 200_000n + 50_000n);
    await env.stripe.refunds.create({ payment_intent: a.pi });
    await env.delivered();
    expect(await teamBalance(env.t.db, a.teamId)).toBe(0n);
    await healthy(a.teamId);
  });

  it("a promo bonus that expired unused is not taken back a second time by a later refund, and a refund before its expiry ends the same", async () => {
    const admin = await makeTeam(env.t.db);
    await createCoupon({ db: env.t.db, input: { code: "EXPIRESFIRST", bonusPercent: "10", maxRedemptions: "10" }, actorUserId: admin.userId });
    const ends: bigint[] = [];
    for (const expiryFirst of [true, false]) {
      const a = await paidTopUp("25", "EXPIRESFIRST");
      expect(await teamBalance(env.t.db, a.teamId)).toBe(CREDITS_25 + 200_000n);
      const bonus = await env.t.db.creditGrant.findFirstOrThrow({ where: { teamId: a.teamId, source: "PROMO_BONUS" } });
      const expire = () => expireGrants({ db: env.t.db, teamId: a.teamId, now: new Date(bonus.expiresAt!.getTime() + 1000) });
      if (expiryFirst) await expire();
      await env.stripe.refunds.create({ payment_intent: a.pi });
      await env.delivered();
      if (!expiryFirst) await expire();
      ends.push(await teamBalance(env.t.db, a.teamId));
      expect((await payment(a.paymentId)).status).toBe("REFUNDED");
      await healthy(a.teamId);
    }
    // Bought 2M and a 200k bonus, nothing spent: a full refund leaves nothing, and never a debt for the expired bonus.
    expect(ends).toEqual([0n, 0n]);
  });
});

describe("tampering", () => {
  it("metadata changed at Stripe to another team is refused, logged, and credits no one", async () => {
    const victim = await makeTeam(env.t.db);
    const other = await makeTeam(env.t.db);
    await env.control("delivery", { mode: "hold" });
    const started = await startTopUp(victim.teamId, victim.slug, { amount: "25" });
    await env.stripe.checkout.sessions.update(started.sessionId, { metadata: { team_id: other.teamId } });
    await complete(started.sessionId);
    await env.control("delivery", { mode: "normal" });
    await env.control("delivery/flush", { order: "forward" });
    await env.delivered();
    expect(await teamBalance(env.t.db, victim.teamId)).toBe(0n);
    expect(await teamBalance(env.t.db, other.teamId)).toBe(0n);
    const p = await payment(started.payment.id);
    expect(p.status).toBe("FAILED");
    expect(await env.t.db.auditLog.findFirst({ where: { action: "payment.mismatch", targetId: p.id } })).toBeTruthy();
  });

  it("a session whose amount disagrees with our payment is refused", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await startTopUp(teamId, slug, { amount: "25" });
    await complete(started.sessionId);
    const gateway = stripeCheckoutGateway(env.stripe);
    const real = await gateway.retrieveCheckoutSession(started.sessionId);
    const r = await fulfilCheckout({ db: env.t.db, session: { ...real, amountTotal: 250_000 } });
    expect(r.outcome).toBe("mismatch");
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    await env.delivered();
    // The webhook, reading the real session, now finds the payment closed: still nothing credited.
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
  });

  it("events about sessions, charges and disputes that are not ours are answered 200 and change nothing", async () => {
    const secret = env.emulator.webhookSecret;
    const before = await env.t.db.ledgerEntry.count();
    for (const [type, object] of [
      [
        "checkout.session.completed",
        { id: "cs_test_not_ours", object: "checkout.session", mode: "payment", metadata: { team_id: "team_x", payment_id: "pay_x" } },
      ],
      ["checkout.session.completed", { id: "cs_test_sub", object: "checkout.session", mode: "subscription", metadata: {} }],
      ["charge.refunded", { id: "ch_not_ours", object: "charge", amount_refunded: 100, currency: "usd", payment_intent: "pi_x", metadata: {} }],
      ["charge.dispute.created", { id: "dp_x", object: "dispute", charge: "ch_not_ours", amount: 100, currency: "usd", status: "needs_response" }],
      ["customer.created", { id: "cus_x", object: "customer" }],
    ] as const) {
      const res = await stripeWebhookRoute(signedWebhookRequest(env.stripe, secret, JSON.stringify(eventFor(type, object))));
      expect(res.status, type).toBe(200);
    }
    expect(await env.t.db.ledgerEntry.count()).toBe(before);
  });
});

// Last: expiring moves the emulator clock forward for good.
describe("expiry", () => {
  it("an expired checkout is marked expired and credits nothing", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const started = await startTopUp(teamId, slug, { amount: "25" });
    await env.control(`checkout_sessions/${started.sessionId}/expire`, {});
    await env.delivered();
    expect((await payment(started.payment.id)).status).toBe("EXPIRED");
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
  });
});
