import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

/**
 * GET /api/v1/billing/usage: the current cycle's usage in the seed's shape (plus credits_by_operation).
 * monthly_fcu_* are credits (the limit is the plan's included credits: Free's without a subscription, null for PAYG and
 * Enterprise); by_operation counts units (integers, encoded as money is); costs are dollars as numbers. overage_fcu is
 * what was used beyond the included credits (all of it on PAYG), overage_cost_usd its price at $2.00 per 1M FCU
 * (lib/billing/usage/overage.ts), and estimated_cost_usd what the cycle's usage costs beyond the plan's fee (= the overage).
 */
export const billingUsageRoute = defineRoute({
  method: "GET",
  path: "/api/v1/billing/usage",
  output: z.object({
    period_start: isoDate(),
    period_end: isoDate(),
    monthly_fcu_limit: money().nullable(),
    monthly_fcu_used: money(),
    operations_total: money(),
    by_operation: z.record(z.string(), money()),
    credits_by_operation: z.record(z.string(), money()),
    estimated_cost_usd: z.number(),
    overage_fcu: money(),
    overage_cost_usd: z.number(),
  }),
});
