import type { Tx } from "../../db/client";
import type { Budget } from "../../db/generated/client";
import { BUDGET_ALERT_THRESHOLDS, billingConfig } from "../config";
import { creditsToCents } from "../money";
import { budgetMonth } from "./budget-month";

export type BudgetView = {
  budget: Budget | null;
  month: string;
  spendCredits: bigint;
  spendCents: bigint;
  /** Thresholds (percent) alerted this month and not cleared since. */
  alertsSent: number[];
  /** The next threshold that will alert, or null when all have (or there is no budget). */
  nextAlertThresholdPct: number | null;
};

/** A budget (team-wide by default, or an API key's) with this UTC month's spend and alerts. */
export async function getBudget({ db, teamId, scope = "team", now = new Date() }: { db: Tx; teamId: string; scope?: string; now?: Date }): Promise<BudgetView> {
  const month = budgetMonth(now);
  const [budget, counter] = await Promise.all([
    db.budget.findUnique({
      where: { teamId_scope: { teamId, scope } },
      include: { alerts: { where: { month, clearedAt: null }, orderBy: { thresholdPct: "asc" } } },
    }),
    db.spendCounter.findUnique({ where: { teamId_scope_month: { teamId, scope, month } }, select: { credits: true } }),
  ]);
  const spendCredits = counter?.credits ?? 0n;
  const alertsSent = budget?.alerts.map((a) => a.thresholdPct) ?? [];
  const { alerts: _alerts, ...plain } = budget ?? { alerts: [] };
  return {
    budget: budget ? (plain as Budget) : null,
    month,
    spendCredits,
    spendCents: creditsToCents(spendCredits, billingConfig().creditsPerDollar),
    alertsSent,
    nextAlertThresholdPct: budget ? (BUDGET_ALERT_THRESHOLDS.find((t) => !alertsSent.includes(t)) ?? null) : null,
  };
}
