import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BillingError } from "../../lib/billing/errors";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { parsePurchase } from "../../lib/billing/purchases/parse-purchase";
import { fulfilCheckout } from "../../lib/billing/topups/fulfil-checkout";
import { settlePurchase } from "../../lib/billing/purchases/settle-purchase";
import { startTopUp } from "../../lib/billing/topups/start-top-up";
import { buyCredits } from "../../lib/billing/purchases/buy-credits";
import { finishCardSetup } from "../../lib/billing/cards/finish-card-setup";
import { startCardSetup } from "../../lib/billing/cards/start-card-setup";
import { finishPurchaseAuthentication } from "../../lib/billing/purchases/finish-purchase-authentication";
import { getSavedCard } from "../../lib/billing/cards/get-saved-card";
import { makeTeam, teamBalance } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { intentsOf, putOnPlan, saveCard } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

const buy = (team: { id: string; stripeCustomerId: string | null }, input: { bundle?: string; amount?: string; idempotencyKey?: string }) =>
  buyCredits({
    db: env.t.db,
    gateway: env.gateway,
    team,
    actorUserId: null,
    input: { ...input, idempotencyKey: input.idempotencyKey ?? randomUUID() },
    returnUrl: "http://app.test/t/x/buy-credit/return",
  });

async function paidTeam(token = "pm_card_visa") {
  const { teamId, userId } = await makeTeam(env.t.db);
  await putOnPlan(env.t.db, teamId, "pro");
  const { customerId } = await saveCard(env.t.db, env.stripe, teamId, token);
  return { teamId, userId, customerId, team: { id: teamId, stripeCustomerId: customerId } };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return "resolved";
  } catch (e) {
    return e instanceof BillingError ? `${e.code}${e.details?.reason ? `:${String(e.details.reason)}` : ""}` : String(e);
  }
};

describe("Buy Credit with a saved card", () => {
  it("a $500 Quick Select bundle charges the saved card off-session and credits 40M once, even when the webhook and a retry follow", async () => {
    const { teamId, customerId, team } = await paidTeam();
    const key = randomUUID();
    const r = await buy(team, { bundle: "500", idempotencyKey: key });
    expect(r.outcome).toBe("credited");
    expect(r.card.label).toBe("Visa •••• 4242");
    expect(r.payment).toMatchObject({ kind: "PURCHASE", status: "SUCCEEDED", amountCents: 50_000n, credits: 40_000_000n });
    expect(await teamBalance(env.t.db, teamId)).toBe(40_000_000n);

    const [pi] = await intentsOf(env.stripe, customerId);
    expect(pi).toMatchObject({
      amount: 50_000,
      currency: "usd",
      status: "succeeded",
      metadata: { team_id: teamId, payment_id: r.payment.id, kind: "purchase" },
    });

    await env.delivered(); // payment_intent.succeeded arrives after the page already credited
    const again = await buy(team, { bundle: "500", idempotencyKey: key });
    expect(again.outcome).toBe("already_credited");
    expect(await intentsOf(env.stripe, customerId)).toHaveLength(1);
    const entries = await env.t.db.ledgerEntry.findMany({ where: { teamId } });
    expect(entries.map((e) => [e.kind, e.amount, e.idempotencyKey])).toEqual([["PURCHASE", 40_000_000n, `purchase:${r.payment.id}`]]);
    expect((await verifyBalance({ db: env.t.db, teamId })).problems).toEqual([]);
    const event = await env.t.db.stripeEvent.findFirst({
      where: { type: "payment_intent.succeeded", payload: { path: ["data", "object", "id"], equals: pi!.id } },
    });
    expect(event).not.toBeNull();
  });

  it("a charge that succeeded after we closed the payment as failed (its reply lost) is still credited, once", async () => {
    const { teamId, team } = await paidTeam();
    const r = await buy(team, { bundle: "100" });
    expect(r.outcome).toBe("credited");
    await env.delivered(); // the charge's own webhooks are done before we rewrite history
    // As if the charge's reply had been lost and the payment closed: undo the credit's effects on our side only.
    await env.t.db.$transaction(async (tx) => {
      await tx.$executeRaw`DELETE FROM credit_grants WHERE payment_id = ${r.payment.id}`;
      await tx.$executeRaw`DELETE FROM ledger_entries WHERE payment_id = ${r.payment.id}`;
      await tx.$executeRaw`UPDATE teams SET balance = 0 WHERE id = ${teamId}`;
      await tx.payment.update({
        where: { id: r.payment.id },
        data: { status: "FAILED", succeededAt: null, stripePaymentIntent: null, failureMessage: "We could not reach our payment provider." },
      });
    });
    const pi = await env.stripe.paymentIntents.retrieve((await intentsOf(env.stripe, team.stripeCustomerId!))[0]!.id);
    const snapshot = {
      id: pi.id,
      status: pi.status,
      amount: pi.amount,
      currency: pi.currency,
      customerId: typeof pi.customer === "string" ? pi.customer : null,
      metadata: pi.metadata,
      latestChargeId: typeof pi.latest_charge === "string" ? pi.latest_charge : null,
      lastErrorCode: null,
      lastErrorMessage: null,
    };
    const [a, b] = await Promise.all([settlePurchase({ db: env.t.db, intent: snapshot }), settlePurchase({ db: env.t.db, intent: snapshot })]);
    expect([a.outcome, b.outcome].sort()).toEqual(["already_credited", "credited"]);
    expect(await teamBalance(env.t.db, teamId)).toBe(8_000_000n);
    expect(await env.t.db.payment.findUniqueOrThrow({ where: { id: r.payment.id } })).toMatchObject({ status: "SUCCEEDED", stripePaymentIntent: pi.id });
    expect(await env.t.db.auditLog.count({ where: { teamId, action: "payment.late_success" } })).toBe(1);
    expect((await verifyBalance({ db: env.t.db, teamId })).problems).toEqual([]);
  });

  it("a custom amount converts at the standard rate; the same key with another amount is refused", async () => {
    const { teamId, team } = await paidTeam();
    const key = randomUUID();
    const r = await buy(team, { amount: "250.50", idempotencyKey: key });
    expect(r.outcome).toBe("credited");
    expect(await teamBalance(env.t.db, teamId)).toBe(20_040_000n);
    expect(await codeOf(buy(team, { amount: "300", idempotencyKey: key }))).toBe("IDEMPOTENCY_MISMATCH");
  });

  it("the default bundles are the seed's four", () => {
    expect(["100", "500", "1000", "2000"].map((b) => parsePurchase({ bundle: b }).credits)).toEqual([8_000_000n, 40_000_000n, 80_000_000n, 160_000_000n]);
  });

  it("amounts out of range, with more than two decimals, or both a bundle and an amount get a clear VALIDATION_FAILED", async () => {
    const { team } = await paidTeam();
    const cases: [Record<string, string>, RegExp][] = [
      [{ amount: "4.99" }, /minimum purchase is \$5\.00/],
      [{ amount: "10000.01" }, /maximum purchase is \$10,000\.00/],
      [{ amount: "12.345" }, /at most two decimals/],
      [{ amount: "-5" }, /at most two decimals/],
      [{ amount: "1e3" }, /at most two decimals/],
      [{ bundle: "999" }, /not offered/],
      [{ bundle: "100", amount: "100" }, /bundle or enter a custom amount/],
      [{}, /bundle or enter a custom amount/],
    ];
    for (const [input, message] of cases) {
      const err = await buy(team, input).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(BillingError);
      expect((err as BillingError).code).toBe("VALIDATION_FAILED");
      expect((err as BillingError).message).toMatch(message);
    }
    expect(await env.t.db.payment.count({ where: { teamId: team.id } })).toBe(0);
  });

  it("a team on Free cannot buy (FORBIDDEN, reason FREE_PLAN) even with a card", async () => {
    const { teamId } = await makeTeam(env.t.db);
    const { customerId } = await saveCard(env.t.db, env.stripe, teamId);
    expect(await codeOf(buy({ id: teamId, stripeCustomerId: customerId }, { bundle: "100" }))).toBe("FORBIDDEN:FREE_PLAN");
    expect(await env.t.db.payment.count({ where: { teamId } })).toBe(0);
  });

  it("without a saved card the answer is NO_PAYMENT_METHOD and nothing is written", async () => {
    const { teamId } = await makeTeam(env.t.db);
    await putOnPlan(env.t.db, teamId, "starter");
    expect(await codeOf(buy({ id: teamId, stripeCustomerId: null }, { bundle: "100" }))).toBe("NO_PAYMENT_METHOD");
    const customer = await env.stripe.customers.create({ name: "no cards" });
    expect(await codeOf(buy({ id: teamId, stripeCustomerId: customer.id }, { bundle: "100" }))).toBe("NO_PAYMENT_METHOD");
    expect(await env.t.db.payment.count({ where: { teamId } })).toBe(0);
  });

  it("a declined card fails the purchase with the bank's reason and credits nothing", async () => {
    const { teamId, team } = await paidTeam("pm_card_chargeDeclined");
    const r = await buy(team, { bundle: "100" });
    expect(r.outcome).toBe("failed");
    expect(r.payment.status).toBe("FAILED");
    expect(r.payment.failureMessage).toMatch(/declined/);
    await env.delivered();
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
  });

  it("a card that needs 3-D Secure sends the person to Stripe's page, and the return page credits once", async () => {
    const { teamId, team } = await paidTeam("pm_card_authenticationRequired");
    const r = await buy(team, { bundle: "100" });
    expect(r.outcome).toBe("requires_action");
    expect(r.redirectUrl).toMatch(new RegExp(`^${env.emulator.url}/authenticate/pi_`));
    expect(r.payment.status).toBe("PENDING");
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);

    const piId = r.payment.stripePaymentIntent!;
    await env.control(`payment_intents/${piId}/authenticate`, { outcome: "succeeded" });
    const back = await finishPurchaseAuthentication({ db: env.t.db, gateway: env.gateway, teamId, paymentIntentId: piId });
    await env.delivered();
    const twice = await finishPurchaseAuthentication({ db: env.t.db, gateway: env.gateway, teamId, paymentIntentId: piId });
    expect([back.outcome, twice.outcome]).toEqual(["credited", "already_credited"]);
    expect(await teamBalance(env.t.db, teamId)).toBe(8_000_000n);
    expect(await env.t.db.ledgerEntry.count({ where: { teamId } })).toBe(1);
  });

  it("a top-up sent with a pending purchase's key is refused, and a checkout naming that purchase credits nothing", async () => {
    const { teamId, team } = await paidTeam("pm_card_authenticationRequired");
    const key = randomUUID();
    const r = await buy(team, { bundle: "100", idempotencyKey: key });
    expect([r.outcome, r.payment.status]).toEqual(["requires_action", "PENDING"]);
    // Same team, same amount and method: only the kind tells the two apart.
    const asTopUp = startTopUp({ db: env.t.db, teamId, actorUserId: null, input: { amount: "100", method: "card", idempotencyKey: `purchase:${key}` } });
    expect(await codeOf(asTopUp)).toBe("IDEMPOTENCY_MISMATCH");
    const session = {
      id: "cs_test_not_a_top_up",
      mode: "payment",
      status: "complete",
      paymentStatus: "paid",
      amountTotal: 10_000,
      currency: "usd",
      clientReferenceId: r.payment.id,
      metadata: { team_id: teamId, payment_id: r.payment.id },
      customerId: null,
      paymentIntent: null,
      methodType: "card",
    };
    expect((await fulfilCheckout({ db: env.t.db, session })).outcome).toBe("not_found");
    expect(await env.t.db.payment.findUniqueOrThrow({ where: { id: r.payment.id } })).toMatchObject({ status: "PENDING", stripeCheckoutSession: null });
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
  });

  it("3-D Secure that fails closes the purchase without credits", async () => {
    const { teamId, team } = await paidTeam("pm_card_authenticationRequired");
    const r = await buy(team, { bundle: "100" });
    const piId = r.payment.stripePaymentIntent!;
    await env.control(`payment_intents/${piId}/authenticate`, { outcome: "failed" });
    const back = await finishPurchaseAuthentication({ db: env.t.db, gateway: env.gateway, teamId, paymentIntentId: piId });
    expect(back.outcome).toBe("failed");
    expect(back.payment?.status).toBe("FAILED");
    expect(await teamBalance(env.t.db, teamId)).toBe(0n);
    // Another team cannot settle (or even see) this payment by its intent id.
    const other = await makeTeam(env.t.db);
    expect((await finishPurchaseAuthentication({ db: env.t.db, gateway: env.gateway, teamId: other.teamId, paymentIntentId: piId })).outcome).toBe("not_found");
  });

  it("Add a card: Checkout in setup mode saves the card as the customer's default", async () => {
    const { teamId, slug } = await makeTeam(env.t.db);
    const team = await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } });
    const { url } = await startCardSetup({ db: env.t.db, gateway: env.gateway, team, email: "owner@example.test", appUrl: "http://app.test" });
    const sessionId = /\/c\/pay\/(cs_[A-Za-z0-9_]+)/.exec(url)?.[1];
    expect(sessionId).toBeTruthy();
    const customerId = (await env.t.db.team.findUniqueOrThrow({ where: { id: teamId } })).stripeCustomerId;
    expect(customerId).toMatch(/^cus_/);
    const session = await env.stripe.checkout.sessions.retrieve(sessionId!);
    expect(session).toMatchObject({
      mode: "setup",
      customer: customerId,
      success_url: `http://app.test/t/${slug}/buy-credit/card-saved?session_id={CHECKOUT_SESSION_ID}`,
    });
    expect(await finishCardSetup({ db: env.t.db, gateway: env.gateway, teamId, sessionId: sessionId! })).toBeNull();
    await env.control(`checkout_sessions/${sessionId}/complete`, { outcome: "paid" });
    const card = await finishCardSetup({ db: env.t.db, gateway: env.gateway, teamId, sessionId: sessionId! });
    expect(card?.label).toBe("Visa •••• 4242");
    expect((await getSavedCard({ gateway: env.gateway, customerId }))?.paymentMethodId).toBe(card?.paymentMethodId);
    // Another team's setup session is refused.
    const other = await makeTeam(env.t.db);
    await expect(finishCardSetup({ db: env.t.db, gateway: env.gateway, teamId: other.teamId, sessionId: sessionId! })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
