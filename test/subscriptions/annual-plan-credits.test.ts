import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// An annual plan is paid once a year but its credits are monthly: the yearly invoice grants the first month, the sweep
// each month after it, once each, each expiring with its month; an upgrade within a month grants that month's difference.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { addUtcMonths } from "../../lib/billing/dates";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { creditMonth } from "../../lib/billing/subscriptions/credit-month";
import { sweepAnnualPlanCredits } from "../../lib/billing/subscriptions/sweep-annual-plan-credits";
import { getUsageSummary } from "../../lib/billing/usage/get-usage-summary";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { teamWithCard, subscribeViaRoute } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

const PRO = 20_000_000n;

async function subscribe(team: { slug: string; userId: string }, plan: string, billingCycle: "monthly" | "annual") {
  await subscribeViaRoute(session, team, plan, billingCycle);
}

/** The team's plan grants in the order they were made: amount and expiry. */
async function grants(teamId: string) {
  const entries = await env.t.db.ledgerEntry.findMany({ where: { teamId, kind: "PLAN_GRANT" }, orderBy: { seq: "asc" } });
  const rows = await env.t.db.creditGrant.findMany({ where: { id: { in: entries.map((e) => e.grantId ?? "") } } });
  return entries.map((e) => ({ amount: e.amount, expiresAt: rows.find((g) => g.id === e.grantId)?.expiresAt ?? null }));
}

describe("creditMonth", () => {
  const start = new Date("2027-01-31T10:00:00Z");
  const end = new Date("2028-01-31T10:00:00Z");
  it("splits a year into twelve calendar months from the anchor, the day clamped, the last ending with the period", () => {
    expect(creditMonth({ periodStart: start, periodEnd: end, cycle: "ANNUAL", at: start })).toEqual({ start, end: new Date("2027-02-28T10:00:00Z"), index: 0 });
    expect(creditMonth({ periodStart: start, periodEnd: end, cycle: "ANNUAL", at: new Date("2027-02-28T10:00:00Z") })).toEqual({
      start: new Date("2027-02-28T10:00:00Z"),
      end: new Date("2027-03-31T10:00:00Z"),
      index: 1,
    });
    expect(creditMonth({ periodStart: start, periodEnd: end, cycle: "ANNUAL", at: new Date("2028-01-30T00:00:00Z") })).toEqual({
      start: new Date("2027-12-31T10:00:00Z"),
      end,
      index: 11,
    });
    // Past the end it stays the last month; a monthly period is one stretch.
    expect(creditMonth({ periodStart: start, periodEnd: end, cycle: "ANNUAL", at: new Date("2029-01-01T00:00:00Z") }).index).toBe(11);
    expect(creditMonth({ periodStart: start, periodEnd: end, cycle: "MONTHLY", at: new Date("2027-06-01T00:00:00Z") })).toEqual({ start, end, index: 0 });
    expect(addUtcMonths(new Date("2028-01-31T00:00:00Z"), 1)).toEqual(new Date("2028-02-29T00:00:00Z"));
  });
});

describe("annual plan credits", () => {
  it("the yearly invoice grants one month; the sweep grants each later month once, expiring with it, and nothing after the period", async () => {
    const team = await teamWithCard(env);
    await subscribe(team, "pro", "annual");
    await env.delivered();
    const sub = await env.t.db.subscription.findUniqueOrThrow({ where: { teamId: team.teamId } });
    expect(sub.billingCycle).toBe("ANNUAL");
    const first = await grants(team.teamId);
    expect(first.map((g) => g.amount)).toEqual([PRO]);
    // The first month's credits expire with the first month, not with the year.
    expect(first[0]!.expiresAt).toEqual(addUtcMonths(sub.currentPeriodStart, 1));

    // Within the first month the sweep has nothing to give.
    expect((await sweepAnnualPlanCredits({ db: env.t.db, now: new Date(sub.currentPeriodStart.getTime() + 86_400_000) })).granted).toBe(0);
    // In month 2, twice (and two instances at once): one grant.
    const month2 = new Date(addUtcMonths(sub.currentPeriodStart, 1).getTime() + 3_600_000);
    const runs = await Promise.all([sweepAnnualPlanCredits({ db: env.t.db, now: month2 }), sweepAnnualPlanCredits({ db: env.t.db, now: month2 })]);
    expect(runs.reduce((n, r) => n + r.granted, 0)).toBe(1);
    expect((await sweepAnnualPlanCredits({ db: env.t.db, now: month2 })).granted).toBe(0);
    const second = await grants(team.teamId);
    expect(second.map((g) => g.amount)).toEqual([PRO, PRO]);
    expect(second[1]!.expiresAt).toEqual(addUtcMonths(sub.currentPeriodStart, 2));
    // A missed month is granted late, once; the year's end gives nothing more.
    const month5 = new Date(addUtcMonths(sub.currentPeriodStart, 4).getTime() + 60_000);
    expect((await sweepAnnualPlanCredits({ db: env.t.db, now: month5 })).granted).toBe(1);
    expect((await sweepAnnualPlanCredits({ db: env.t.db, now: new Date(sub.currentPeriodEnd.getTime() + 1000) })).granted).toBe(0);
    expect((await grants(team.teamId)).length).toBe(3);
    expect(await verifyBalance({ db: env.t.db, teamId: team.teamId })).toMatchObject({ ok: true });
  });

  it("monthly and cancelled-and-over subscriptions get nothing from the sweep; a past_due annual one neither", async () => {
    const monthly = await teamWithCard(env);
    await subscribe(monthly, "pro", "monthly");
    const annual = await teamWithCard(env);
    await subscribe(annual, "pro", "annual");
    await env.delivered();
    const sub = await env.t.db.subscription.findUniqueOrThrow({ where: { teamId: annual.teamId } });
    await env.t.db.subscription.update({ where: { teamId: annual.teamId }, data: { status: "PAST_DUE" } });
    const month3 = new Date(addUtcMonths(sub.currentPeriodStart, 2).getTime() + 60_000);
    await sweepAnnualPlanCredits({ db: env.t.db, now: month3 });
    for (const t of [monthly, annual]) expect((await grants(t.teamId)).length).toBe(1);
  });
});

describe("usage on an annual plan", () => {
  it("is measured against the month of the year that is running, as its credits are", async () => {
    const team = await teamWithCard(env);
    await subscribe(team, "pro", "annual");
    await env.delivered();
    const sub = await env.t.db.subscription.findUniqueOrThrow({ where: { teamId: team.teamId } });
    const day = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    const month3 = addUtcMonths(sub.currentPeriodStart, 2);
    await env.t.db.usageRollup.createMany({
      data: [
        { teamId: team.teamId, day: day(new Date(sub.currentPeriodStart.getTime() + 86_400_000)), operation: "matmul", quantity: 1n, credits: 30_000_000n },
        { teamId: team.teamId, day: day(new Date(month3.getTime() + 2 * 86_400_000)), operation: "matmul", quantity: 1n, credits: 21_000_000n },
      ],
    });
    const summary = await getUsageSummary({ db: env.t.db, teamId: team.teamId, now: new Date(month3.getTime() + 3 * 86_400_000) });
    expect(summary.periodStart).toEqual(month3);
    expect(summary.periodEnd).toEqual(addUtcMonths(sub.currentPeriodStart, 3));
    expect(summary).toMatchObject({ monthlyLimitCredits: PRO, usedCredits: 21_000_000n });
  });
});
