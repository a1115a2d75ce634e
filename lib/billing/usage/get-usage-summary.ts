import type { Tx } from "../../db/client";
import { billingConfig, endOfUtcMonth } from "../config";
import { BillingError } from "../errors";
import { creditsToCents } from "../money";
import { startOfUtcDay, startOfUtcMonth } from "../dates";

export type UsageSummary = {
  periodStart: Date;
  periodEnd: Date;
  /** The plan's monthly credits, or null without a plan limit. */
  monthlyLimitCredits: bigint | null;
  usedCredits: bigint;
  operationsTotal: bigint;
  byOperation: Record<string, bigint>;
  creditsByOperation: Record<string, bigint>;
  /** What the period's credits are worth at CREDITS_PER_DOLLAR. */
  estimatedCostCents: bigint;
  overageCredits: bigint;
  overageCostCents: bigint;
};

/**
 * The current cycle's usage from the daily rollups: the subscription's period when the team has a live one, else the
 * UTC calendar month. Rollups are per UTC day, so a period starting mid-day counts from the start of that day.
 */
export async function getUsageSummary({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<UsageSummary> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { subscription: { select: { status: true, currentPeriodStart: true, currentPeriodEnd: true, plan: { select: { monthlyCredits: true } } } } },
  });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const sub = team.subscription;
  const live = sub && ["ACTIVE", "TRIALING", "PAST_DUE"].includes(sub.status) && sub.currentPeriodEnd > now && sub.currentPeriodStart <= now;
  const periodStart = live ? sub.currentPeriodStart : startOfUtcMonth(now);
  const periodEnd = live ? sub.currentPeriodEnd : endOfUtcMonth(now);
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
  const monthlyLimitCredits = live ? (sub.plan.monthlyCredits ?? null) : null;
  const overageCredits = monthlyLimitCredits !== null && usedCredits > monthlyLimitCredits ? usedCredits - monthlyLimitCredits : 0n;
  const rate = billingConfig().creditsPerDollar;
  return {
    periodStart,
    periodEnd,
    monthlyLimitCredits,
    usedCredits,
    operationsTotal,
    byOperation,
    creditsByOperation,
    estimatedCostCents: creditsToCents(usedCredits, rate),
    overageCredits,
    overageCostCents: creditsToCents(overageCredits, rate),
  };
}
