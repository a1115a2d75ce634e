import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { adjustCredits } from "../../lib/billing/ledger/adjust-credits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { getCycleFigures } from "../../lib/billing/overview/get-cycle-figures";
import { getOverview } from "../../lib/billing/overview/get-overview";
import { getTeamPlan } from "../../lib/billing/plans/get-team-plan";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { setOperationPrice } from "../../lib/billing/usage/set-operation-price";
import type { Actor } from "../../lib/auth/permissions";
import type { Db } from "../../lib/db/client";
import { makeTeam } from "../billing/factories";
import { putOnPlan } from "../buy-credit/helpers";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

let t: TestDatabase;
let db: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  db = t.db;
});
afterAll(() => t?.close());

/** The team's owner, as the page and route pass the signed-in actor. */
const owner = (teamId: string): Actor => ({ kind: "user", userId: "usr_owner", teamId, role: "OWNER", isPlatformAdmin: false });

const use = (teamId: string, key: string, operation: string, quantity: number, timestamp?: Date) =>
  recordUsage({ db, teamId, events: [{ idempotencyKey: key, operation, quantity, timestamp }] });

describe("cycle figures", () => {
  it("Total / Used / Remaining after a top-up and usage: carried over + added - removed, usage, balance", async () => {
    const { teamId, userId } = await makeTeam(db, { credits: 1_000_000n });
    await new Promise((r) => setTimeout(r, 5));
    const cycleStart = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await creditCredits({ db, teamId, amount: 2_000_000n, kind: "TOPUP", idempotencyKey: "topup-2m" });
    await creditCredits({ db, teamId, amount: 500_000n, kind: "PLAN_GRANT", idempotencyKey: "plan-1" });
    await creditCredits({ db, teamId, amount: 50_000n, kind: "COUPON", idempotencyKey: "coupon-1" });
    await use(teamId, "u1", "matmul", 10_000); // 200,000
    await use(teamId, "u2", "infer_70b", 300); // 300,000
    await adjustCredits({ db, teamId, amount: -25_000n, reason: "correction", actorUserId: userId, idempotencyKey: "adj" });
    const f = await getCycleFigures({ db, teamId, cycleStart });
    expect(f).toMatchObject({ opening: 1_000_000n, purchased: 2_000_000n, plan: 500_000n, granted: 50_000n, removed: 25_000n, used: 500_000n });
    expect(f.total).toBe(3_525_000n);
    expect(f.remaining).toBe(3_025_000n);
    expect(f.total - f.used).toBe(f.remaining);
    // From the team's first moment everything is "added"; opening is 0.
    const all = await getCycleFigures({ db, teamId, cycleStart: new Date(0) });
    expect(all).toMatchObject({ opening: 0n, purchased: 3_000_000n, used: 500_000n, remaining: 3_025_000n });
  });

  it("a drawn credit line carries a negative balance into the cycle", async () => {
    const { teamId } = await makeTeam(db, { credits: 100_000n, creditLimitCents: 1000n });
    await use(teamId, "neg", "matmul", 10_000); // 200,000: balance -100,000
    await new Promise((r) => setTimeout(r, 5));
    const cycleStart = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await creditCredits({ db, teamId, amount: 400_000n, kind: "TOPUP", idempotencyKey: "repay" });
    const f = await getCycleFigures({ db, teamId, cycleStart });
    expect(f).toMatchObject({ opening: -100_000n, purchased: 400_000n, total: 300_000n, used: 0n, remaining: 300_000n, creditLimit: 800_000n });
  });
});

describe("plan and cycle", () => {
  it("no subscription is Free over the UTC month; a live subscription gives its plan and period", async () => {
    const { teamId } = await makeTeam(db);
    const now = new Date("2026-05-17T10:00:00Z");
    const free = await getTeamPlan({ db, teamId, now });
    expect(free).toMatchObject({ free: true, canBuyCredits: false, cycleSource: "month", plan: { id: "free", monthlyCredits: 10_000n } });
    expect([free.cycleStart.toISOString(), free.cycleEnd.toISOString()]).toEqual(["2026-05-01T00:00:00.000Z", "2026-06-01T00:00:00.000Z"]);
    await db.subscription.create({
      data: {
        teamId,
        planId: "pro",
        status: "ACTIVE",
        currentPeriodStart: new Date("2026-05-12T08:00:00Z"),
        currentPeriodEnd: new Date("2026-06-12T08:00:00Z"),
      },
    });
    const pro = await getTeamPlan({ db, teamId, now });
    expect(pro).toMatchObject({ free: false, canBuyCredits: true, cycleSource: "subscription", plan: { id: "pro", monthlyCredits: 20_000_000n } });
    expect(pro.cycleStart.toISOString()).toBe("2026-05-12T08:00:00.000Z");
    await db.subscription.update({ where: { teamId }, data: { status: "CANCELED" } });
    expect((await getTeamPlan({ db, teamId, now })).free).toBe(true);
    const plans = await db.plan.findMany({ orderBy: { sortOrder: "asc" } });
    expect(plans.map((p) => [p.id, p.monthlyCredits, p.canBuyCredits])).toEqual([
      ["free", 10_000n, false],
      ["payg", null, true],
      ["starter", 1_000_000n, true],
      ["pro", 20_000_000n, true],
      ["scale", 100_000_000n, true],
      ["enterprise", null, true],
    ]);
  });
});

describe("overview", () => {
  it("a new team: trial-less, empty usage, no budget, low balance", async () => {
    const { teamId } = await makeTeam(db);
    const o = await getOverview({ db, actor: owner(teamId) });
    expect(o).toMatchObject({
      balance: 0n,
      cycle: { total: 0n, used: 0n, remaining: 0n },
      budget: null,
      recent: [],
      usage: { operations: [] },
      lowBalance: { low: true },
    });
    expect(o.usage.days.every((d) => d.credits === 0n)).toBe(true);
    expect(o.plan).toMatchObject({ id: "free", free: true, canBuyCredits: false, renewsAt: null });
  });

  it("figures, charts, budget progress and recent entries for a team with usage", async () => {
    const { teamId, userId } = await makeTeam(db, { credits: 10_000_000n });
    await putOnPlan(db, teamId, "pro");
    await setBudget({ db, teamId, monthlyCapCents: 1000n, actor: { userId } }); // $10 = 800,000 credits
    const yesterday = new Date(Date.now() - 86_400_000);
    await use(teamId, "a", "matmul", 10_000, yesterday); // 200,000 yesterday
    await use(teamId, "b", "matmul", 5_000); // 100,000 today
    await use(teamId, "c", "bootstrap", 2_000); // 100,000 today
    await use(teamId, "d", "add", 50_000); // 50,000 today
    const o = await getOverview({ db, actor: owner(teamId) });
    expect(o.cycle).toMatchObject({ used: 450000n, remaining: 9550000n, source: "subscription" });
    expect(BigInt(o.cycle.total) - BigInt(o.cycle.used)).toBe(BigInt(o.cycle.remaining));
    expect(o.plan).toMatchObject({ id: "pro", name: "Pro", canBuyCredits: true, status: "active" });
    expect(o.plan.renewsAt).toBe(o.cycle.end);
    expect(o.budget).toMatchObject({ capCredits: 800000n, spendCredits: 450000n, percent: 56.2, thresholds: [50, 80, 100], alertsSent: [50] });
    expect(o.usage.operations.map((x) => [x.operation, x.credits])).toEqual([
      ["matmul", 300000n],
      ["bootstrap", 100000n],
      ["add", 50000n],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect(o.usage.days.find((d) => d.day === today)).toMatchObject({ credits: 250000n, byOperation: { matmul: 100000n, bootstrap: 100000n, add: 50000n } });
    expect(o.recent.map((e) => e.kind)).toEqual(["USAGE", "USAGE", "USAGE", "USAGE", "TOPUP"]);
    expect(o.recent[0]!.amount).toBe(-50000n);
    expect(o.forecast.avgDailyCredits).not.toBe(0n);
    expect(o.lowBalance.low).toBe(false);
  });

  it('an operation named "constructor" (a name the price table allows) is counted like any other, not read from Object', async () => {
    const { teamId } = await makeTeam(db, { credits: 1_000_000n });
    await setOperationPrice({ db, operation: "constructor", creditsPerUnit: 3n });
    await use(teamId, "ctor-1", "constructor", 10);
    const o = await getOverview({ db, actor: owner(teamId) });
    const today = new Date().toISOString().slice(0, 10);
    expect(o.usage.days.find((d) => d.day === today)?.byOperation).toEqual({ constructor: 30n });
    expect(o.usage.operations.map((x) => [x.operation, x.credits])).toEqual([["constructor", 30n]]);
  });
});
