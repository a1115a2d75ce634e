import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimAutoTopUp } from "../../lib/billing/auto-top-up/claim-auto-top-up";
import { getAutoTopUp } from "../../lib/billing/auto-top-up/get-auto-top-up";
import { saveAutoTopUp } from "../../lib/billing/auto-top-up/save-auto-top-up";
import { setAutoTopUp } from "../../lib/billing/auto-top-up/set-auto-top-up";
import { BillingError } from "../../lib/billing/errors";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { recordUsageRequest } from "../../lib/billing/usage/record-usage-request";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { afterDebits } from "../../lib/billing/auto-top-up/trigger-auto-top-up";
import { runAutoTopUp } from "../../lib/billing/auto-top-up/run-auto-top-up";
import { sweepAutoTopUps } from "../../lib/billing/auto-top-up/sweep-auto-top-ups";
import { makeTeam, teamBalance } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { intentsOf, putOnPlan, saveCard } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

const on = { enabled: true, threshold: "500000", amount: "50", maxPerMonth: 3 };

async function autoTeam(token = "pm_card_visa", credits = 1_000_000n) {
  const { teamId, userId } = await makeTeam(env.t.db, { credits });
  await putOnPlan(env.t.db, teamId, "pro");
  const { customerId } = await saveCard(env.t.db, env.stripe, teamId, token);
  await setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: on });
  return { teamId, userId, customerId };
}

/** `n` concurrent usage requests of `credits` each ("matmul" costs 20 credits a unit). */
async function spend(teamId: string, n: number, credits: number, tag: string) {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      recordUsage({ db: env.t.db, teamId, events: [{ idempotencyKey: `${tag}-${i}`, operation: "matmul", quantity: credits / 20 }] }).then((r) => r[0]!),
    ),
  );
}

describe("auto top-up", () => {
  it("settings are validated, need a paid plan to turn on, and every change is audited", async () => {
    const { teamId, userId } = await makeTeam(env.t.db);
    await expect(setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: on })).rejects.toMatchObject({
      code: "FORBIDDEN",
      details: { reason: "FREE_PLAN" },
    });
    await putOnPlan(env.t.db, teamId, "starter");
    const bad: [Partial<typeof on>, string][] = [
      [{ threshold: "abc" }, "threshold"],
      [{ threshold: "0" }, "threshold"],
      [{ amount: "4.99" }, "amount"],
      [{ amount: "10000.01" }, "amount"],
      [{ amount: "50.001" }, "amount"],
      [{ maxPerMonth: 0 }, "maxPerMonth"],
      [{ maxPerMonth: 32 }, "maxPerMonth"],
    ];
    for (const [patch, field] of bad) {
      const err = await setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: { ...on, ...patch } }).catch((e: unknown) => e);
      expect(err, JSON.stringify(patch)).toBeInstanceOf(BillingError);
      expect((err as BillingError).details?.field).toBe(field);
    }
    const view = await setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: { ...on, threshold: "2,000,000" } });
    expect(view).toMatchObject({ enabled: true, thresholdCredits: 2_000_000n, amountCents: 5000n, credits: 4_000_000n, maxPerMonth: 3 });
    await setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: { ...on, enabled: false } });
    const audits = await env.t.db.auditLog.findMany({ where: { teamId, action: "auto_top_up.updated" }, orderBy: { createdAt: "asc" } });
    expect(audits).toHaveLength(2);
    expect(audits[1]!.data).toMatchObject({ before: { enabled: true, thresholdCredits: "2000000" }, after: { enabled: false } });
  });

  it("saving from the dashboard needs billing:write, and a saved card to turn it on (checked before the settings)", async () => {
    const { teamId, userId } = await makeTeam(env.t.db);
    await putOnPlan(env.t.db, teamId, "pro");
    const as = (role: "OWNER" | "MEMBER") => ({ kind: "user" as const, userId, teamId, role, isPlatformAdmin: false });
    const save = (role: "OWNER" | "MEMBER", input: typeof on) => saveAutoTopUp({ db: env.t.db, gateway: () => env.gateway, actor: as(role), input });
    await expect(save("MEMBER", { ...on, enabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(save("OWNER", { ...on, threshold: "abc" })).rejects.toMatchObject({ code: "NO_PAYMENT_METHOD", details: { field: "enabled" } });
    expect(await save("OWNER", { ...on, enabled: false })).toMatchObject({ enabled: false, thresholdCredits: 500_000n });
    await saveCard(env.t.db, env.stripe, teamId);
    expect(await save("OWNER", on)).toMatchObject({ enabled: true, thresholdCredits: 500_000n, amountCents: 5000n });
    expect(await env.t.db.auditLog.count({ where: { teamId, action: "auto_top_up.updated" } })).toBe(2);
  });

  it("concurrent debits that cross the threshold trigger exactly one charge, from any number of processes", async () => {
    const { teamId, customerId } = await autoTeam();
    // 1,000,000 credits; 12 concurrent debits of 50,000 take it to 400,000, below the 500,000 threshold.
    const results = await spend(teamId, 12, 50_000, "cross");
    expect(results.every((r) => r.status === "debited")).toBe(true);
    // Every debit reports after commit (as the usage route does), and other processes run the job too.
    await Promise.all([
      ...results.map((r) => afterDebits({ db: env.t.db, gateway: env.gateway, teamId, lowestBalance: r.balanceAfter })),
      ...Array.from({ length: 8 }, () => runAutoTopUp({ db: env.t.db, gateway: env.gateway, teamId })),
    ]);
    const payments = await env.t.db.payment.findMany({ where: { teamId, kind: "AUTO_TOPUP" } });
    expect(payments.map((p) => [p.status, p.amountCents, p.credits])).toEqual([["SUCCEEDED", 5000n, 4_000_000n]]);
    expect(await intentsOf(env.stripe, customerId)).toHaveLength(1);
    expect(await teamBalance(env.t.db, teamId)).toBe(4_400_000n);
    const auto = await getAutoTopUp({ db: env.t.db, teamId });
    expect(auto).toMatchObject({ enabled: true, inFlightPaymentId: null, chargesThisMonth: 1 });
    await env.delivered(); // the webhook for the same charge changes nothing
    expect(await env.t.db.ledgerEntry.count({ where: { teamId, kind: "AUTO_TOPUP" } })).toBe(1);
    expect((await verifyBalance({ db: env.t.db, teamId })).problems).toEqual([]);

    // Above the threshold again: nothing more happens.
    expect((await runAutoTopUp({ db: env.t.db, gateway: env.gateway, teamId })).outcome).toBe("not_due");
  });

  it("usage through a test key never starts one, even below the threshold; a live key's usage then does", async () => {
    const { teamId, userId } = await autoTeam();
    const key = async (test: boolean) => {
      const { apiKey } = await createApiKey({ db: env.t.db, teamId, name: test ? "ci" : "prod", role: "BILLING", createdByUserId: userId, test });
      return { kind: "apiKey" as const, apiKeyId: apiKey.id, keyName: apiKey.name, teamId, keyRole: "BILLING" as const, test };
    };
    const usage = (actor: Awaited<ReturnType<typeof key>>, k: string, quantity: number) =>
      recordUsageRequest({ db: env.t.db, actor, gateway: env.gateway, single: true, events: [{ idempotencyKey: k, operation: "matmul", quantity }] });
    const testKey = await key(true);
    // 1,000,000 credits → 400,000: below the 500,000 threshold, and then a refusal at zero, each of which would ask.
    expect((await usage(testKey, "t1", 30_000)).debited).toBe(1);
    expect((await usage(testKey, "t2", 30_000)).refusal?.code).toBe("INSUFFICIENT_CREDITS");
    await new Promise((r) => setTimeout(r, 1500));
    expect(await env.t.db.payment.count({ where: { teamId, kind: "AUTO_TOPUP" } })).toBe(0);
    // Nor does the safety-net sweep charge for it.
    await sweepAutoTopUps({ db: env.t.db, gateway: env.gateway });
    expect(await env.t.db.payment.count({ where: { teamId, kind: "AUTO_TOPUP" } })).toBe(0);
    expect(await teamBalance(env.t.db, teamId)).toBe(400_000n);
    // The same wait is enough for a live key's usage to start the charge.
    expect((await usage(await key(false), "l1", 1)).debited).toBe(1);
    for (let i = 0; i < 100 && (await env.t.db.payment.count({ where: { teamId, kind: "AUTO_TOPUP", status: "SUCCEEDED" } })) === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await env.t.db.payment.count({ where: { teamId, kind: "AUTO_TOPUP", status: "SUCCEEDED" } })).toBe(1);
  });

  it("stops at the monthly maximum", async () => {
    const { teamId, userId, customerId } = await autoTeam();
    await setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: { ...on, maxPerMonth: 2, amount: "5" } });
    for (let round = 0; round < 3; round++) {
      const [r] = await spend(teamId, 1, 600_000, `max-${round}`);
      expect(r?.status).toBe("debited");
      await runAutoTopUp({ db: env.t.db, gateway: env.gateway, teamId });
    }
    expect(await env.t.db.payment.count({ where: { teamId, kind: "AUTO_TOPUP", status: "SUCCEEDED" } })).toBe(2);
    expect(await intentsOf(env.stripe, customerId)).toHaveLength(2);
    expect((await getAutoTopUp({ db: env.t.db, teamId })).chargesThisMonth).toBe(2);
  });

  it("a failing card turns auto top-up off, says why, and notifies the owners; nothing is credited", async () => {
    const { teamId } = await autoTeam("pm_card_chargeCustomerFail");
    const second = await env.t.db.user.create({ data: { email: `co-${teamId}@example.test`, name: "Co-owner" } });
    await env.t.db.membership.create({ data: { teamId, userId: second.id, role: "OWNER" } });
    const member = await env.t.db.user.create({ data: { email: `m-${teamId}@example.test`, name: "Member" } });
    await env.t.db.membership.create({ data: { teamId, userId: member.id, role: "MEMBER" } });

    const [r] = await spend(teamId, 1, 600_000, "fail");
    await afterDebits({ db: env.t.db, gateway: env.gateway, teamId, lowestBalance: r!.balanceAfter });
    const auto = await getAutoTopUp({ db: env.t.db, teamId });
    expect(auto).toMatchObject({ enabled: false, inFlightPaymentId: null, failureCount: 1 });
    expect(auto.disabledReason).toMatch(/declined/);
    expect(await teamBalance(env.t.db, teamId)).toBe(400_000n);
    const payment = await env.t.db.payment.findFirstOrThrow({ where: { teamId, kind: "AUTO_TOPUP" } });
    expect(payment.status).toBe("FAILED");
    const notes = await env.t.db.notification.findMany({ where: { teamId, kind: "auto_top_up_failed" } });
    expect(notes.map((n) => n.userId).sort()).toEqual((await env.t.db.membership.findMany({ where: { teamId, role: "OWNER" } })).map((m) => m.userId).sort());
    expect(notes[0]!.body).toMatch(/turned off/);
    expect(await env.t.db.auditLog.count({ where: { teamId, action: "auto_top_up.disabled" } })).toBe(1);
    // Off means off: more debits do not charge again.
    await spend(teamId, 1, 20_000, "after");
    expect((await runAutoTopUp({ db: env.t.db, gateway: env.gateway, teamId })).outcome).toBe("not_due");
  });

  it("a card that needs authentication cannot be charged while the owner is away: off, with the reason", async () => {
    const { teamId, customerId } = await autoTeam("pm_card_authenticationRequired");
    await spend(teamId, 1, 600_000, "auth");
    const run = await runAutoTopUp({ db: env.t.db, gateway: env.gateway, teamId });
    expect(run.outcome).toBe("failed");
    expect((await getAutoTopUp({ db: env.t.db, teamId })).disabledReason).toMatch(/3-D Secure/);
    const [pi] = await intentsOf(env.stripe, customerId);
    expect(pi?.status).toBe("canceled");
    expect(await teamBalance(env.t.db, teamId)).toBe(400_000n);
  });

  it("without a saved card the attempt fails and turns auto top-up off", async () => {
    const { teamId, userId } = await makeTeam(env.t.db, { credits: 1_000_000n });
    await putOnPlan(env.t.db, teamId);
    await setAutoTopUp({ db: env.t.db, teamId, actorUserId: userId, input: on });
    await spend(teamId, 1, 600_000, "nocard");
    expect((await runAutoTopUp({ db: env.t.db, gateway: env.gateway, teamId })).outcome).toBe("failed");
    expect((await getAutoTopUp({ db: env.t.db, teamId })).disabledReason).toMatch(/no saved card/);
  });

  it("the sweep charges teams the trigger missed, and finishes a charge whose process died, once", async () => {
    const { teamId, customerId } = await autoTeam();
    await spend(teamId, 1, 600_000, "missed"); // no afterDebits: as if the process died right after the debit
    const first = await sweepAutoTopUps({ db: env.t.db, gateway: env.gateway });
    expect(first.charged).toBeGreaterThanOrEqual(1);
    expect(await teamBalance(env.t.db, teamId)).toBe(4_400_000n);

    // A claim whose charge never ran (a crash between claim and Stripe): the sweep after the stale window finishes it.
    await spend(teamId, 1, 4_000_000, "crash");
    const claimed = await claimAutoTopUp({ db: env.t.db, teamId });
    expect(claimed?.status).toBe("PENDING");
    expect((await sweepAutoTopUps({ db: env.t.db, gateway: env.gateway })).charged).toBe(0); // in flight, not stale yet
    const later = new Date(Date.now() + 11 * 60_000);
    await sweepAutoTopUps({ db: env.t.db, gateway: env.gateway, now: later });
    await sweepAutoTopUps({ db: env.t.db, gateway: env.gateway, now: later });
    expect((await env.t.db.payment.findUniqueOrThrow({ where: { id: claimed!.id } })).status).toBe("SUCCEEDED");
    expect(await intentsOf(env.stripe, customerId)).toHaveLength(2);
    expect(await teamBalance(env.t.db, teamId)).toBe(4_400_000n);
    expect((await getAutoTopUp({ db: env.t.db, teamId })).inFlightPaymentId).toBeNull();
  });

  it("a stale charge whose PaymentIntent is known is read back from Stripe, never charged again", async () => {
    const { teamId, customerId } = await autoTeam();
    await spend(teamId, 1, 600_000, "known-pi");
    const claimed = await claimAutoTopUp({ db: env.t.db, teamId });
    // The charge was made and recorded (as settlePurchase does for a "processing" one), then its process died; by the
    // time the sweep finds it Stripe's idempotency key for the create call may be gone (it lasts 24 hours).
    const card = await env.stripe.customers.retrieve(customerId);
    const pm = (card as Stripe.Customer).invoice_settings.default_payment_method as string;
    const pi = await env.stripe.paymentIntents.create({
      amount: 5000,
      currency: "usd",
      customer: customerId,
      payment_method: pm,
      off_session: true,
      confirm: true,
      metadata: { team_id: teamId, payment_id: claimed!.id },
    });
    await env.t.db.payment.update({ where: { id: claimed!.id }, data: { stripePaymentIntent: pi.id } });
    await sweepAutoTopUps({ db: env.t.db, gateway: env.gateway, now: new Date(Date.now() + 11 * 60_000) });
    expect(await intentsOf(env.stripe, customerId)).toHaveLength(1);
    expect((await env.t.db.payment.findUniqueOrThrow({ where: { id: claimed!.id } })).status).toBe("SUCCEEDED");
    expect(await teamBalance(env.t.db, teamId)).toBe(4_400_000n);
    expect((await verifyBalance({ db: env.t.db, teamId })).ok).toBe(true);
  });
});
