import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingConfig } from "../../lib/billing/config";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";
import { adjustCredits } from "../../lib/billing/ledger/adjust-credits";
import { clawbackCredits } from "../../lib/billing/ledger/clawback-credits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { expireGrants } from "../../lib/billing/ledger/expire-grants";
import { getBalance } from "../../lib/billing/ledger/get-balance";
import { listEntries } from "../../lib/billing/ledger/list-entries";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { grantTrialCredits } from "../../lib/billing/teams/grant-trial-credits";
import { APP_JOB } from "../../lib/jobs/app-jobs";
import { runAppJob } from "../helpers/app-jobs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance } from "./factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const expectHealthy = async (teamId: string) => expect((await verifyBalance({ db: t.db, teamId })).problems).toEqual([]);

describe("credits", () => {
  it("writes one entry and one grant; a repeated key returns the first result and writes nothing", async () => {
    const { teamId } = await makeTeam(t.db);
    const first = await creditCredits({ db: t.db, teamId, amount: 5000n, kind: "TOPUP", idempotencyKey: "pay_1", paymentId: null });
    expect(first.duplicate).toBe(false);
    expect(first.entry).toMatchObject({ amount: 5000n, balanceAfter: 5000n, kind: "TOPUP", grantId: first.grant!.id });
    expect(first.grant).toMatchObject({ source: "TOPUP", amount: 5000n, remaining: 5000n, expiresAt: null, priority: 100, ledgerEntryId: first.entry.id });
    const again = await creditCredits({ db: t.db, teamId, amount: 5000n, kind: "TOPUP", idempotencyKey: "pay_1" });
    expect(again.duplicate).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.grant?.id).toBe(first.grant!.id);
    expect(await t.db.ledgerEntry.count({ where: { teamId } })).toBe(1);
    expect(await teamBalance(t.db, teamId)).toBe(5000n);
    await expect(creditCredits({ db: t.db, teamId, amount: 1n, kind: "TOPUP", idempotencyKey: "pay_1" })).rejects.toMatchObject({
      code: "IDEMPOTENCY_MISMATCH",
    });
  });

  it("composes with the caller's transaction: rolled back together", async () => {
    const { teamId } = await makeTeam(t.db);
    await expect(
      t.db.$transaction(async (tx) => {
        await creditCredits({ db: tx, teamId, amount: 700n, kind: "TOPUP", idempotencyKey: "evt_1" });
        expect((await tx.team.findUniqueOrThrow({ where: { id: teamId } })).balance).toBe(700n);
        throw new Error("webhook failed after crediting");
      }),
    ).rejects.toThrow("webhook failed");
    expect(await teamBalance(t.db, teamId)).toBe(0n);
    expect(await t.db.ledgerEntry.count({ where: { teamId } })).toBe(0);
    const ok = await t.db.$transaction(async (tx) => creditCredits({ db: tx, teamId, amount: 700n, kind: "TOPUP", idempotencyKey: "evt_1" }));
    expect(ok.duplicate).toBe(false);
    expect(await teamBalance(t.db, teamId)).toBe(700n);
  });

  it("applies per-source expiry and priority from configuration, and refuses bad input", async () => {
    const { teamId } = await makeTeam(t.db);
    const coupon = await creditCredits({ db: t.db, teamId, amount: 10n, kind: "COUPON", idempotencyKey: "c" });
    expect(coupon.grant?.priority).toBe(billingConfig().drainPriority.COUPON);
    const ms = coupon.grant!.expiresAt!.getTime() - coupon.entry.createdAt.getTime();
    expect(Math.abs(ms - 90 * 86_400_000)).toBeLessThan(60_000);
    await expect(creditCredits({ db: t.db, teamId, amount: 0n, kind: "TOPUP", idempotencyKey: "z" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(creditCredits({ db: t.db, teamId, amount: 5n, kind: "TOPUP", idempotencyKey: "" })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(creditCredits({ db: t.db, teamId, amount: 5n, kind: "TOPUP", idempotencyKey: "p", expiresAt: days(-1) })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    await expect(creditCredits({ db: t.db, teamId: "team_nope", amount: 5n, kind: "TOPUP", idempotencyKey: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("gives a new team its trial credits once, expiring in 30 days", async () => {
    const { teamId } = await makeTeam(t.db);
    const first = await t.db.$transaction((tx) => grantTrialCredits({ db: tx, teamId }));
    const again = await grantTrialCredits({ db: t.db, teamId });
    expect(first?.entry).toMatchObject({ kind: "TRIAL_GRANT", amount: 100_000n });
    expect(first?.grant?.source).toBe("TRIAL");
    expect(again?.duplicate).toBe(true);
    expect(await teamBalance(t.db, teamId)).toBe(100_000n);
    const ms = first!.grant!.expiresAt!.getTime() - Date.now();
    expect(Math.abs(ms - 30 * 86_400_000)).toBeLessThan(60_000);
  });
});

describe("debits and grants", () => {
  it("drain the grant that expires first, then by priority, then purchased credits", async () => {
    const { teamId } = await makeTeam(t.db);
    const topup = await creditCredits({ db: t.db, teamId, amount: 100n, kind: "TOPUP", idempotencyKey: "top" });
    const adj = await creditCredits({ db: t.db, teamId, amount: 100n, kind: "ADJUSTMENT", idempotencyKey: "adj" }); // never expires, priority 50
    const late = await creditCredits({ db: t.db, teamId, amount: 100n, kind: "COUPON", idempotencyKey: "late", expiresAt: days(20) });
    const soon = await creditCredits({ db: t.db, teamId, amount: 100n, kind: "PLAN_GRANT", idempotencyKey: "soon", expiresAt: days(2) });
    const d1 = await debitCredits({ db: t.db, teamId, amount: 150n, idempotencyKey: "u1" });
    expect(d1.entry.balanceAfter).toBe(250n);
    const remaining = async () => Object.fromEntries((await t.db.creditGrant.findMany({ where: { teamId } })).map((g) => [g.id, g.remaining]));
    expect(await remaining()).toEqual({ [soon.grant!.id]: 0n, [late.grant!.id]: 50n, [adj.grant!.id]: 100n, [topup.grant!.id]: 100n });
    const entry = await t.db.ledgerEntry.findUniqueOrThrow({ where: { id: d1.entry.id } });
    expect(entry.grantId).toBe(soon.grant!.id);
    await debitCredits({ db: t.db, teamId, amount: 120n, idempotencyKey: "u2" });
    expect(await remaining()).toEqual({ [soon.grant!.id]: 0n, [late.grant!.id]: 0n, [adj.grant!.id]: 30n, [topup.grant!.id]: 100n });
    await expectHealthy(teamId);
  });

  it("repeat of a debit key returns the first result; spending stops at the floor exactly", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 1000n });
    await setCreditLimit({ db: t.db, teamId, limitCents: 1n }); // 800 credits at 80,000 per dollar
    expect((await getBalance({ db: t.db, teamId })).floor).toBe(-800n);
    const a = await debitCredits({ db: t.db, teamId, amount: 1500n, idempotencyKey: "k" });
    const b = await debitCredits({ db: t.db, teamId, amount: 1500n, idempotencyKey: "k" });
    expect(b).toEqual({ ...a, duplicate: true });
    await expect(debitCredits({ db: t.db, teamId, amount: 301n, idempotencyKey: "k2" })).rejects.toMatchObject({ code: "INSUFFICIENT_CREDITS", status: 402 });
    const last = await debitCredits({ db: t.db, teamId, amount: 300n, idempotencyKey: "k3" });
    expect(last.entry.balanceAfter).toBe(-800n);
    await expect(debitCredits({ db: t.db, teamId, amount: 1n, idempotencyKey: "k4" })).rejects.toMatchObject({ code: "INSUFFICIENT_CREDITS" });
    const view = await getBalance({ db: t.db, teamId });
    expect(view).toMatchObject({ balance: -800n, available: 0n, drawn: 800n, grants: [] });
    await expectHealthy(teamId);
  });

  it("credits arriving below zero repay the drawn line first; only the rest becomes grant", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 100n, creditLimitCents: 1n });
    await debitCredits({ db: t.db, teamId, amount: 600n, idempotencyKey: "spend" });
    expect(await teamBalance(t.db, teamId)).toBe(-500n);
    const partial = await creditCredits({ db: t.db, teamId, amount: 300n, kind: "TOPUP", idempotencyKey: "t1" });
    expect(partial.grant).toMatchObject({ amount: 300n, remaining: 0n });
    const rest = await creditCredits({ db: t.db, teamId, amount: 1000n, kind: "TOPUP", idempotencyKey: "t2" });
    expect(rest.grant).toMatchObject({ amount: 1000n, remaining: 800n });
    expect(await teamBalance(t.db, teamId)).toBe(800n);
    await expectHealthy(teamId);
  });
});

describe("expiry", () => {
  it("the job expires grants at their time with one entry each, once", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 50n });
    const g = await creditCredits({ db: t.db, teamId, amount: 200n, kind: "COUPON", idempotencyKey: "cp", expiresAt: days(1) });
    await debitCredits({ db: t.db, teamId, amount: 30n, idempotencyKey: "u" }); // from the coupon (expires first)
    expect(await expireGrants({ db: t.db, teamId })).toEqual({ teams: 1, entries: 0 }); // not yet
    const later = days(2);
    const run = await expireGrants({ db: t.db, now: later });
    expect(run.entries).toBeGreaterThanOrEqual(1);
    const expiry = await t.db.ledgerEntry.findFirstOrThrow({ where: { teamId, kind: "EXPIRY" } });
    expect(expiry).toMatchObject({ amount: -170n, balanceAfter: 50n, grantId: g.grant!.id, idempotencyKey: `expiry:${g.grant!.id}` });
    expect(await expireGrants({ db: t.db, now: later, teamId })).toEqual({ teams: 1, entries: 0 });
    expect((await t.db.creditGrant.findUniqueOrThrow({ where: { id: g.grant!.id } })).expiredAt).not.toBeNull();
    await expectHealthy(teamId);
  });

  it("the queued grant expiry job expires due grants once, even when two instances run it at the same time", async () => {
    const { teamId } = await makeTeam(t.db);
    await creditCredits({ db: t.db, teamId, amount: 40n, kind: "COUPON", idempotencyKey: "soon", expiresAt: new Date(Date.now() + 1000) });
    await new Promise((r) => setTimeout(r, 1100));
    await Promise.all([runAppJob(APP_JOB.grantExpiry, { db: t.db }), runAppJob(APP_JOB.grantExpiry, { db: t.db })]);
    expect(await teamBalance(t.db, teamId)).toBe(0n);
    expect(await t.db.ledgerEntry.count({ where: { teamId, kind: "EXPIRY" } })).toBe(1);
  });

  it("a debit after the expiry time never spends expired credits, even before the job ran", async () => {
    const { teamId } = await makeTeam(t.db);
    await creditCredits({ db: t.db, teamId, amount: 100n, kind: "TRIAL_GRANT", idempotencyKey: "trial", expiresAt: days(1) });
    await expect(debitCredits({ db: t.db, teamId, amount: 10n, idempotencyKey: "u", now: days(2) })).rejects.toMatchObject({ code: "INSUFFICIENT_CREDITS" });
    expect(await teamBalance(t.db, teamId)).toBe(0n);
    expect(await t.db.ledgerEntry.count({ where: { teamId, kind: "EXPIRY" } })).toBe(1);
    await expectHealthy(teamId);
  });
});

describe("clawbacks and adjustments", () => {
  it("a refund drains the payment's grant first and may push the balance below the floor; spending then stops", async () => {
    const { teamId, userId } = await makeTeam(t.db, { creditLimitCents: 1n });
    const pay = await t.db.payment.create({
      data: { teamId, method: "card", amountCents: 1000n, credits: 800_000n, idempotencyKey: "p1", status: "SUCCEEDED" },
    });
    await creditCredits({ db: t.db, teamId, amount: 1000n, kind: "COUPON", idempotencyKey: "coupon", expiresAt: days(5) });
    const bought = await creditCredits({ db: t.db, teamId, amount: 5000n, kind: "TOPUP", idempotencyKey: `topup:${pay.id}`, paymentId: pay.id });
    await debitCredits({ db: t.db, teamId, amount: 2000n, idempotencyKey: "u" }); // coupon 1000, then 1000 of the top-up
    const refund = await clawbackCredits({ db: t.db, teamId, amount: 5000n, kind: "REFUND", idempotencyKey: "re_1", paymentId: pay.id });
    expect(refund.entry).toMatchObject({ kind: "REFUND", amount: -5000n, balanceAfter: -1000n, grantId: bought.grant!.id, paymentId: pay.id });
    expect(refund.drainedFromGrants).toBe(4000n);
    expect(await teamBalance(t.db, teamId)).toBe(-1000n); // below the floor of -800
    await expect(debitCredits({ db: t.db, teamId, amount: 1n, idempotencyKey: "u2" })).rejects.toMatchObject({ code: "INSUFFICIENT_CREDITS" });
    const again = await clawbackCredits({ db: t.db, teamId, amount: 5000n, kind: "REFUND", idempotencyKey: "re_1", paymentId: pay.id });
    expect(again).toMatchObject({ duplicate: true, entry: { id: refund.entry.id } });
    const won = await creditCredits({ db: t.db, teamId, amount: 1500n, kind: "DISPUTE_REVERSAL", idempotencyKey: "dr_1" });
    expect(won.grant).toMatchObject({ remaining: 500n, source: "DISPUTE_REVERSAL" });
    const adj = await adjustCredits({ db: t.db, teamId, amount: -200n, reason: "duplicate goodwill credit", actorUserId: userId, idempotencyKey: "adj-1" });
    expect(adj.entry).toMatchObject({ kind: "ADJUSTMENT", amount: -200n, balanceAfter: 300n, description: "duplicate goodwill credit" });
    const plus = await adjustCredits({ db: t.db, teamId, amount: 50n, reason: "service credit", actorUserId: userId, idempotencyKey: "adj-2" });
    expect(plus.grant).toMatchObject({ source: "ADJUSTMENT", remaining: 50n });
    expect(await t.db.auditLog.count({ where: { teamId, action: "credits.adjusted" } })).toBe(2);
    await expect(adjustCredits({ db: t.db, teamId, amount: 5n, reason: "", actorUserId: userId, idempotencyKey: "adj-3" })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: { field: "reason" },
    });
    await expectHealthy(teamId);
  });
});

describe("history", () => {
  it("lists entries newest first in commit order, page by page", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 10_000n });
    await Promise.all(Array.from({ length: 30 }, (_, i) => debitCredits({ db: t.db, teamId, amount: BigInt(i + 1), idempotencyKey: `h${i}` })));
    const seen: bigint[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listEntries>> = await listEntries({ db: t.db, teamId, cursor, limit: 7 });
      seen.push(...page.entries.map((e) => e.balanceAfter + -e.amount)); // balance before each entry
      for (let i = 1; i < page.entries.length; i++) expect(page.entries[i - 1]!.seq).toBeGreaterThan(page.entries[i]!.seq);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(31);
    const usage = await listEntries({ db: t.db, teamId, kinds: ["USAGE"], limit: 100 });
    expect(usage.entries).toHaveLength(30);
    // Each entry's balance_after continues the previous one's.
    const all = (await listEntries({ db: t.db, teamId, limit: 100 })).entries.reverse();
    for (let i = 1; i < all.length; i++) expect(all[i]!.balanceAfter).toBe(all[i - 1]!.balanceAfter + all[i]!.amount);
    await expectHealthy(teamId);
  });
});
