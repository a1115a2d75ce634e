import { readBudget } from "@/lib/billing/budgets/read-budget";
import { saveBudget } from "@/lib/billing/budgets/save-budget";
import { route } from "@/lib/edge/route";
import { budgetRoute, setBudgetRoute } from "./contract";
import { budgetShape as shape } from "./shape";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Dollar amounts are parsed as decimals (at most two places) into cents; spend is compared in credits.

export const GET = route(budgetRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor }) => shape(await readBudget({ db, actor })));

export const POST = route(setBudgetRoute, { auth: "api", permission: "billing:write" }, async ({ db, actor, body }) =>
  shape(
    await saveBudget({
      db,
      actor,
      input: { monthlyCapUsd: body.monthly_cap_usd, hardCap: body.hard_cap, allowSoftOverage: body.allow_soft_overage, alertEmail: body.alert_email },
    }),
  ),
);
