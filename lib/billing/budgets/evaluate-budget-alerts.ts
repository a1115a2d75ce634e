import type { Tx } from "../../db/client";

/**
 * Re-checks a budget's alerts against this month's spend: fires thresholds now crossed (once per month each; again
 * only after the condition had cleared) with a budget_alert notification to the alert email, and marks alerts whose
 * condition no longer holds (the cap was raised) as cleared with a budget_alert_cleared notification.
 * Debits fire crossings themselves; this is for cap changes. Returns the month's spend in credits.
 */
export async function evaluateBudgetAlerts({ db, budgetId, now }: { db: Tx; budgetId: string; now?: Date }): Promise<bigint> {
  const rows = await db.$queryRawUnsafe<{ spend: bigint | null }[]>(`SELECT cd_budget_evaluate($1, $2::timestamptz) AS spend`, budgetId, now ?? null);
  return BigInt(rows[0]?.spend ?? 0n);
}
