import { centsToUsd } from "@/lib/billing/money";
import { getUsageSummary } from "@/lib/billing/usage/get-usage-summary";
import { route } from "@/lib/edge/route";
import { billingUsageRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(billingUsageRoute, { auth: "api", permission: "team:read" }, async ({ db, actor }) => {
  const s = await getUsageSummary({ db, teamId: actor.teamId });
  return {
    period_start: s.periodStart,
    period_end: s.periodEnd,
    monthly_fcu_limit: s.monthlyLimitCredits,
    monthly_fcu_used: s.usedCredits,
    operations_total: s.operationsTotal,
    by_operation: s.byOperation,
    credits_by_operation: s.creditsByOperation,
    estimated_cost_usd: centsToUsd(s.estimatedCostCents),
    overage_fcu: s.overageCredits,
    overage_cost_usd: centsToUsd(s.overageCostCents),
  };
});
