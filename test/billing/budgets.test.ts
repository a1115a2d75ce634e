import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { checkBudget } from "../../lib/billing/budgets/check-budget";
import { getBudget } from "../../lib/billing/budgets/get-budget";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "./factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

// $1 = 80,000 credits, so a cap of 1 cent is 800 credits.
const CAP_CENTS = 1n;
const CAP = 800n;
const nov = new Date("2026-11-15T12:00:00Z");
const dec = new Date("2026-12-01T00:00:00Z");

const alerts = (teamId: string) => t.db.budgetAlert.findMany({ where: { budget: { teamId } }, orderBy: [{ month: "asc" }, { thresholdPct: "asc" }] });
const notes = (teamId: string) => t.db.notification.findMany({ where: { teamId }, orderBy: { createdAt: "asc" } });

describe("budget caps", () => {
  it("a hard cap rejects spending past it with BUDGET_HARD_CAP_HIT (402) and resets at the UTC month boundary", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 10_000n });
    await setBudget({ db: t.db, teamId, monthlyCapCents: CAP_CENTS, hardCap: true, alertEmail: "ops@example.com", now: nov });
    await debitCredits({ db: t.db, teamId, amount: 700n, idempotencyKey: "a", now: nov });
    await expect(debitCredits({ db: t.db, teamId, amount: 101n, idempotencyKey: "b", now: nov })).rejects.toMatchObject({
      code: "BUDGET_HARD_CAP_HIT",
      status: 402,
    });
    await debitCredits({ db: t.db, teamId, amount: 100n, idempotencyKey: "c", now: nov }); // exactly at the cap
    await expect(debitCredits({ db: t.db, teamId, amount: 1n, idempotencyKey: "d", now: nov })).rejects.toMatchObject({ code: "BUDGET_HARD_CAP_HIT" });
    expect(await checkBudget({ db: t.db, teamId, credits: 1n, now: nov })).toEqual({ allowed: false, blockedBy: "team", remainingCredits: 0n });
    const spent = await getBudget({ db: t.db, teamId, now: nov });
    expect(spent).toMatchObject({ month: "2026-11", spendCredits: CAP, spendCents: 1n, alertsSent: [50, 80, 100], nextAlertThresholdPct: null });
    // A new UTC month starts from zero.
    await debitCredits({ db: t.db, teamId, amount: 500n, idempotencyKey: "e", now: dec });
    expect(await getBudget({ db: t.db, teamId, now: dec })).toMatchObject({
      month: "2026-12",
      spendCredits: 500n,
      alertsSent: [50],
      nextAlertThresholdPct: 80,
    });
    expect((await verifyBalance({ db: t.db, teamId })).ok).toBe(true);
  });

  it("a soft cap alerts but allows spending, unless allow_soft_overage is false", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 10_000n });
    await setBudget({ db: t.db, teamId, monthlyCapCents: CAP_CENTS, hardCap: false, now: nov });
    await debitCredits({ db: t.db, teamId, amount: 1000n, idempotencyKey: "over", now: nov });
    expect((await getBudget({ db: t.db, teamId, now: nov })).alertsSent).toEqual([50, 80, 100]);
    await setBudget({ db: t.db, teamId, monthlyCapCents: 2n, hardCap: false, allowSoftOverage: false, now: nov }); // 1600 credits
    await debitCredits({ db: t.db, teamId, amount: 600n, idempotencyKey: "fits", now: nov });
    await expect(debitCredits({ db: t.db, teamId, amount: 1n, idempotencyKey: "blocked", now: nov })).rejects.toMatchObject({ code: "BUDGET_HARD_CAP_HIT" });
  });

  it("alerts at 50/80/100% once per month each, to the alert email; raising the cap clears them with a note", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 100_000n });
    await setBudget({ db: t.db, teamId, monthlyCapCents: CAP_CENTS, alertEmail: "ops@example.com", now: nov });
    await debitCredits({ db: t.db, teamId, amount: 399n, idempotencyKey: "1", now: nov });
    expect(await alerts(teamId)).toHaveLength(0);
    await debitCredits({ db: t.db, teamId, amount: 1n, idempotencyKey: "2", now: nov }); // 400 = 50%
    await debitCredits({ db: t.db, teamId, amount: 10n, idempotencyKey: "3", now: nov });
    expect((await alerts(teamId)).map((a) => a.thresholdPct)).toEqual([50]);
    await debitCredits({ db: t.db, teamId, amount: 500n, idempotencyKey: "4", now: nov }); // 910: past 80 and 100 at once
    await debitCredits({ db: t.db, teamId, amount: 500n, idempotencyKey: "5", now: nov });
    expect((await alerts(teamId)).map((a) => a.thresholdPct)).toEqual([50, 80, 100]);
    let n = await notes(teamId);
    expect(n.map((x) => [x.kind, x.title, x.email])).toEqual([
      ["budget_alert", "Budget 50% reached", "ops@example.com"],
      ["budget_alert", "Budget 80% reached", "ops@example.com"],
      ["budget_alert", "Budget 100% reached", "ops@example.com"],
    ]);
    // Spend 1,410 of a new cap of 3,200 credits (4 cents) → 44%: every alert clears.
    const raised = await setBudget({ db: t.db, teamId, monthlyCapCents: 4n, alertEmail: "ops@example.com", now: nov });
    expect(raised).toMatchObject({ alertsSent: [], nextAlertThresholdPct: 50, spendCredits: 1410n });
    expect((await alerts(teamId)).every((a) => a.clearedAt)).toBe(true);
    n = await notes(teamId);
    expect(n.at(-1)).toMatchObject({ kind: "budget_alert_cleared", email: "ops@example.com" });
    // Crossing again under the new cap alerts again, once.
    await debitCredits({ db: t.db, teamId, amount: 200n, idempotencyKey: "6", now: nov });
    await debitCredits({ db: t.db, teamId, amount: 10n, idempotencyKey: "7", now: nov });
    expect((await getBudget({ db: t.db, teamId, now: nov })).alertsSent).toEqual([50]);
    expect((await notes(teamId)).filter((x) => x.title === "Budget 50% reached")).toHaveLength(2);
    // Lowering the cap below the spend alerts at once.
    const lowered = await setBudget({ db: t.db, teamId, monthlyCapCents: 2n, now: nov });
    expect(lowered.alertsSent).toEqual([50, 80, 100]);
  });

  it("an API key's own budget caps that key only", async () => {
    const { teamId, userId } = await makeTeam(t.db, { credits: 100_000n });
    const { apiKey } = await createApiKey({ db: t.db, teamId, name: "ci", role: "BILLING", createdByUserId: userId });
    await setBudget({ db: t.db, teamId, scope: apiKey.id, monthlyCapCents: CAP_CENTS, hardCap: true });
    const r = await recordUsage({
      db: t.db,
      teamId,
      apiKeyId: apiKey.id,
      events: [
        { idempotencyKey: "x", operation: "infer_7b", quantity: 8 },
        { idempotencyKey: "y", operation: "add", quantity: 1 },
      ],
    });
    expect(r.map((x) => x.status)).toEqual(["debited", "rejected"]);
    expect(r[1]?.error?.code).toBe("BUDGET_HARD_CAP_HIT");
    const other = await recordUsage({ db: t.db, teamId, events: [{ idempotencyKey: "z", operation: "add", quantity: 1 }] });
    expect(other[0]?.status).toBe("debited");
    expect((await getBudget({ db: t.db, teamId, scope: apiKey.id })).spendCredits).toBe(800n);
    expect((await getBudget({ db: t.db, teamId })).spendCredits).toBe(801n);
    await expect(setBudget({ db: t.db, teamId, scope: "key_other", monthlyCapCents: 1n })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("validates settings", async () => {
    const { teamId } = await makeTeam(t.db);
    await expect(setBudget({ db: t.db, teamId, monthlyCapCents: 0n })).rejects.toMatchObject({ details: { field: "monthly_cap_usd" } });
    await expect(setBudget({ db: t.db, teamId, monthlyCapCents: 100n, alertEmail: "not-an-email" })).rejects.toMatchObject({
      details: { field: "alert_email" },
    });
    expect(await getBudget({ db: t.db, teamId })).toMatchObject({ budget: null, spendCredits: 0n, nextAlertThresholdPct: null });
  });
});
