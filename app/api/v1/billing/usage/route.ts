import { apiJson, withApiActor } from "@/lib/auth/api-route";
import { centsToUsd } from "@/lib/billing/money";
import { getUsageSummary } from "@/lib/billing/usage/get-usage-summary";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/v1/billing/usage — the current cycle's usage in the seed's shape (plus credits_by_operation).
// monthly_fcu_* are credits; by_operation counts units. Credits are JSON numbers when safe integers, else strings.
export const GET = withApiActor(
  async ({ actor, db }) => {
    const s = await getUsageSummary({ db, teamId: actor.teamId });
    return apiJson({
      period_start: s.periodStart.toISOString(),
      period_end: s.periodEnd.toISOString(),
      monthly_fcu_limit: s.monthlyLimitCredits,
      monthly_fcu_used: s.usedCredits,
      operations_total: s.operationsTotal,
      by_operation: s.byOperation,
      credits_by_operation: s.creditsByOperation,
      estimated_cost_usd: centsToUsd(s.estimatedCostCents),
      overage_fcu: s.overageCredits,
      overage_cost_usd: centsToUsd(s.overageCostCents),
    });
  },
  { permission: "team:read" },
);
