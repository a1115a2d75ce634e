import type { BudgetView } from "@/lib/billing/budgets/get-budget";
import { centsToUsd } from "@/lib/billing/money";
import type { OutputOf } from "@/lib/edge/contract";
import type { budgetRoute } from "./contract";

/** A budget in the seed's answer shape: the API's and the dashboard's budget routes answer exactly this. */
export const budgetShape = (v: BudgetView): OutputOf<typeof budgetRoute> => ({
  monthly_cap_usd: v.budget ? centsToUsd(v.budget.monthlyCapCents) : null,
  current_spend_usd: centsToUsd(v.spendCents),
  alert_email: v.budget?.alertEmail ?? null,
  hard_cap: v.budget?.hardCap ?? false,
  allow_soft_overage: v.budget?.allowSoftOverage ?? true,
  alerts_sent: v.alertsSent.map((t) => `${t}%`),
  next_alert_threshold_pct: v.nextAlertThresholdPct,
  month: v.month,
  monthly_cap_credits: v.budget?.monthlyCapCredits ?? null,
  current_spend_credits: v.spendCredits,
});
