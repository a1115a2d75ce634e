import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantFreeAllowance } from "../../lib/billing/subscriptions/grant-free-allowance";
import { readSubscriptionState } from "../../lib/billing/subscriptions/read-subscription-state";
import { sweepFreeAllowances } from "../../lib/billing/subscriptions/sweep-free-allowances";
import { APP_JOB } from "../../lib/jobs/app-jobs";
import { runAppJob } from "../helpers/app-jobs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "./factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const planEntries = (teamId: string) => t.db.ledgerEntry.findMany({ where: { teamId, kind: "PLAN_GRANT" }, orderBy: { createdAt: "asc" } });
const nextMonth = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 15));
};

describe("Free's monthly allowance", () => {
  it("is granted once per team per cycle, as a PLAN grant expiring at the cycle's end; the next cycle grants again", async () => {
    const { teamId } = await makeTeam(t.db);
    expect(await grantFreeAllowance({ db: t.db, teamId })).toBe(10_000n);
    expect(await grantFreeAllowance({ db: t.db, teamId })).toBe(0n);
    const [entry] = await planEntries(teamId);
    const grant = await t.db.creditGrant.findFirstOrThrow({ where: { teamId, source: "PLAN" } });
    const now = new Date();
    expect(grant.expiresAt?.toISOString()).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
    expect(entry?.amount).toBe(10_000n);

    const state = await readSubscriptionState({ db: t.db, teamId });
    expect(state).toMatchObject({ status: null, usageRefused: false, plan: { id: "free" }, planCredits: { granted: 10_000n, remaining: 10_000n } });

    expect(await grantFreeAllowance({ db: t.db, teamId, now: nextMonth() })).toBe(10_000n);
    expect(await grantFreeAllowance({ db: t.db, teamId, now: nextMonth() })).toBe(0n);
    expect(await planEntries(teamId)).toHaveLength(2);
  });

  it("a team on a paid plan gets nothing from it; the sweep grants every Free team once", async () => {
    const paid = await makeTeam(t.db);
    const now = new Date();
    await t.db.subscription.create({
      data: { teamId: paid.teamId, planId: "pro", status: "ACTIVE", currentPeriodStart: now, currentPeriodEnd: new Date(now.getTime() + 30 * 86_400_000) },
    });
    expect(await grantFreeAllowance({ db: t.db, teamId: paid.teamId })).toBe(0n);
    const free = await makeTeam(t.db);
    const first = await sweepFreeAllowances({ db: t.db, limit: 10_000 });
    expect(first.teams).toBeGreaterThanOrEqual(1);
    expect(await planEntries(free.teamId)).toHaveLength(1);
    expect(await planEntries(paid.teamId)).toHaveLength(0);
    expect((await sweepFreeAllowances({ db: t.db, limit: 10_000 })).teams).toBe(0);
  });

  it("the background job grants a Free team its allowance once per cycle, however often it runs (two instances at once too)", async () => {
    const free = await makeTeam(t.db);
    const paid = await makeTeam(t.db);
    const now = new Date();
    await t.db.subscription.create({
      data: { teamId: paid.teamId, planId: "pro", status: "ACTIVE", currentPeriodStart: now, currentPeriodEnd: new Date(now.getTime() + 30 * 86_400_000) },
    });
    // Two runs at once (two instances), then a third later in the cycle; a failed run would throw here.
    const run = (at: () => Date) => runAppJob(APP_JOB.planCredits, { db: t.db, now: at });
    await Promise.all([run(() => now), run(() => now)]);
    await run(() => new Date(now.getTime() + 1000));
    expect((await planEntries(free.teamId)).map((e) => e.amount)).toEqual([10_000n]);
    expect(await planEntries(paid.teamId)).toHaveLength(0);

    // The next cycle: once more, again however often the job runs.
    await run(nextMonth);
    await run(nextMonth);
    expect((await planEntries(free.teamId)).map((e) => e.amount)).toEqual([10_000n, 10_000n]);
  });
});
