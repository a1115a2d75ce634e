import { z } from "zod";
import { defineRoute, money } from "@/lib/edge/contract";

// GET/POST /api/v1/billing/budget: the team's monthly budget cap in the seed's shape. Dollar figures are JSON numbers
// (monthly_cap_usd, current_spend_usd), credits the money encoding. With no budget, monthly_cap_usd is null.

export const budgetAnswer = z.object({
  monthly_cap_usd: z.number().nullable(),
  current_spend_usd: z.number(),
  alert_email: z.string().nullable(),
  hard_cap: z.boolean(),
  allow_soft_overage: z.boolean(),
  alerts_sent: z.array(z.string()),
  next_alert_threshold_pct: z.number().nullable(),
  month: z.string(),
  monthly_cap_credits: money().nullable(),
  current_spend_credits: money(),
});

export const budgetRoute = defineRoute({ method: "GET", path: "/api/v1/billing/budget", output: budgetAnswer });

/** Replaces the settings: omitted booleans take their defaults (hard_cap false, allow_soft_overage true). */
export const setBudgetRoute = defineRoute({
  method: "POST",
  path: "/api/v1/billing/budget",
  body: z.strictObject({
    monthly_cap_usd: z.union([z.number(), z.string()], { error: "must be a dollar amount like 500.00" }),
    alert_email: z.email("must be an email address").max(254, "must be at most 254 characters").nullable().optional(),
    hard_cap: z.boolean({ error: "must be true or false" }).optional(),
    allow_soft_overage: z.boolean({ error: "must be true or false" }).optional(),
  }),
  output: budgetAnswer,
});
