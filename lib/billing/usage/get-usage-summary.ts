import type { Tx } from "../../db/client";
import { getTeamPlan } from "../plans/get-team-plan";
import { startOfUtcDay } from "../dates";
import { getDrawSummary } from "../statements/get-draw-summary";
import { overageCostCents } from "./overage";

export type UsageSummary = {
  periodStart: Date;
  periodEnd: Date;
  /** The credits the team's plan includes per cycle (Free's when it has no live subscription), or null when unlimited. */
  monthlyLimitCredits: bigint | null;
  usedCredits: bigint;
  operationsTotal: bigint;
  byOperation: Record<string, bigint>;
  creditsByOperation: Record<string, bigint>;
  /** What the cycle's usage costs beyond the plan's fee: today only overage is charged for usage, so = overageCostCents. */
  estimatedCostCents: bigint;
  /**
   * Credits used this cycle beyond everything the team had to spend (the plan's credits and purchased ones), drawn on a
   * paid plan's metered allowance and billed at the cycle's end: what a statement will charge, not yet billed.
   */
  overageCredits: bigint;
  /** overageCredits at $2.00 per 1M FCU (lib/billing/usage/overage.ts), in whole cents rounded half up. */
  overageCostCents: bigint;
};

/**
 * The current cycle's usage from the daily rollups: the subscription's period when the team has a live one, else the
 * UTC calendar month (getTeamPlan's cycle). Rollups are per UTC day, so a period starting mid-day counts from the start
 * of that day.
 */
export async function getUsageSummary({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<UsageSummary> {
  const { plan, cycleStart: periodStart, cycleEnd: periodEnd } = await getTeamPlan({ db, teamId, now });
  const rows = await db.usageRollup.groupBy({
    by: ["operation"],
    where: { teamId, day: { gte: startOfUtcDay(periodStart), lt: periodEnd } },
    _sum: { quantity: true, credits: true },
  });
  const byOperation: Record<string, bigint> = {};
  const creditsByOperation: Record<string, bigint> = {};
  let usedCredits = 0n;
  let operationsTotal = 0n;
  for (const r of rows.sort((a, b) => a.operation.localeCompare(b.operation))) {
    byOperation[r.operation] = r._sum.quantity ?? 0n;
    creditsByOperation[r.operation] = r._sum.credits ?? 0n;
    usedCredits += r._sum.credits ?? 0n;
    operationsTotal += r._sum.quantity ?? 0n;
  }
  const draw = await getDrawSummary({ db, teamId, now, cycleEnd: periodEnd });
  const overage = draw.kind === "OVERAGE" ? draw.unbilledCredits : 0n;
  const overageCost = overageCostCents(overage);
  return {
    periodStart,
    periodEnd,
    monthlyLimitCredits: plan.monthlyCredits,
    usedCredits,
    operationsTotal,
    byOperation,
    creditsByOperation,
    estimatedCostCents: overageCost,
    overageCredits: overage,
    overageCostCents: overageCost,
  };
}
