import type { BudgetView } from "@/lib/billing/budgets/get-budget";
import { readBudget } from "@/lib/billing/budgets/read-budget";
import { setBudget } from "@/lib/billing/budgets/set-budget";
import { centsToUsd, parseUsdToCents } from "@/lib/billing/money";
import type { OutputOf } from "@/lib/edge/contract";
import { route } from "@/lib/edge/route";
import { budgetRoute, setBudgetRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Dollar amounts are parsed as decimals (at most two places) into cents; spend is compared in credits.

const shape = (v: BudgetView): OutputOf<typeof budgetRoute> => ({
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

export const GET = route(budgetRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor }) => shape(await readBudget({ db, actor })));

export const POST = route(setBudgetRoute, { auth: "api", permission: "billing:write" }, async ({ db, actor, body }) => {
  const view = await setBudget({
    db,
    teamId: actor.teamId,
    monthlyCapCents: parseUsdToCents(body.monthly_cap_usd, "monthly_cap_usd"),
    hardCap: body.hard_cap ?? false,
    allowSoftOverage: body.allow_soft_overage ?? true,
    alertEmail: body.alert_email ?? null,
    actor: actor.kind === "apiKey" ? { apiKeyId: actor.apiKeyId } : { userId: actor.userId },
  });
  return shape(view);
});
