import { z } from "zod";
import { apiJson, parseWith, readJson, withApiActor } from "@/lib/auth/api-route";
import type { BudgetView } from "@/lib/billing/budgets/get-budget";
import { readBudget } from "@/lib/billing/budgets/read-budget";
import { setBudget } from "@/lib/billing/budgets/set-budget";
import { centsToUsd, parseUsdToCents } from "@/lib/billing/money";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET/POST /api/v1/billing/budget — the team's monthly budget cap in the seed's shape. POST replaces the settings
// (omitted booleans take their defaults: hard_cap false, allow_soft_overage true). Dollar amounts are parsed as
// decimals (at most two places) into cents; spend is compared in credits. With no budget, GET answers
// monthly_cap_usd null. Credits are JSON numbers when safe integers, else strings.

const body = z.strictObject({
  monthly_cap_usd: z.union([z.number(), z.string()], { error: "must be a dollar amount like 500.00" }),
  alert_email: z.email("must be an email address").max(254, "must be at most 254 characters").nullable().optional(),
  hard_cap: z.boolean({ error: "must be true or false" }).optional(),
  allow_soft_overage: z.boolean({ error: "must be true or false" }).optional(),
});

const shape = (v: BudgetView) => ({
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

export const GET = withApiActor(async ({ actor, db }) => apiJson(shape(await readBudget({ db, actor }))), { permission: "billing:read" });

export const POST = withApiActor(
  async ({ req, actor, db }) => {
    const input = parseWith(body, await readJson(req));
    const view = await setBudget({
      db,
      teamId: actor.teamId,
      monthlyCapCents: parseUsdToCents(input.monthly_cap_usd, "monthly_cap_usd"),
      hardCap: input.hard_cap ?? false,
      allowSoftOverage: input.allow_soft_overage ?? true,
      alertEmail: input.alert_email ?? null,
      actor: actor.kind === "apiKey" ? { apiKeyId: actor.apiKeyId } : { userId: actor.userId },
    });
    return apiJson(shape(view));
  },
  { permission: "billing:write" },
);
