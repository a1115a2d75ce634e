import type { Db } from "../../db/client";
import { runPeriodically } from "./run-periodically";
import { sweepAnnualPlanCredits } from "../subscriptions/sweep-annual-plan-credits";
import { sweepFreeAllowances } from "../subscriptions/sweep-free-allowances";

/**
 * Runs the plan credit sweeps every `everyMs` in this process (the app starts it once at boot, beside the grant expiry
 * job): Free's allowance, so every team on Free gets its monthly credits early in each cycle without having to spend
 * first, and each later month's credits of annual plans. Safe in every instance at once and on every restart: each
 * grant is idempotent per team and cycle or month (plan:free:<cycle>, annualMonthKey).
 */
export function startPlanCreditsJob({
  db,
  everyMs = 5 * 60_000,
  now = () => new Date(),
  onError = (e: unknown) => console.error("[creditdesk] plan credit sweep failed:", e),
}: {
  db: Db;
  everyMs?: number;
  now?: () => Date;
  onError?: (e: unknown) => void;
}): { stop: () => Promise<void> } {
  return runPeriodically({
    everyMs,
    onError,
    work: async () => {
      // Drain the backlog in pages of teams (a bounded number per tick), then wait for the next tick.
      for (let page = 0; page < 20; page++) if ((await sweepFreeAllowances({ db, now: now(), limit: 500 })).teams < 500) break;
      await sweepAnnualPlanCredits({ db, now: now() });
    },
  });
}
