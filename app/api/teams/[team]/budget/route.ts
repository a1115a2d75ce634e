import { budgetShape } from "@/app/api/v1/billing/budget/shape";
import { readBudget } from "@/lib/billing/budgets/read-budget";
import { removeBudget } from "@/lib/billing/budgets/remove-budget";
import { saveBudget } from "@/lib/billing/budgets/save-budget";
import { route } from "@/lib/edge/route";
import { removeTeamBudgetRoute, saveTeamBudgetRoute, teamBudgetRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(teamBudgetRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor }) => budgetShape(await readBudget({ db, actor })));

/** Sets the budget (billing:write); audit-logged by the core with the settings before and after. */
export const PUT = route(saveTeamBudgetRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, body }) =>
  budgetShape(
    await saveBudget({
      db,
      actor,
      input: { monthlyCapUsd: body.monthly_cap_usd, hardCap: body.hard_cap, allowSoftOverage: body.allow_soft_overage, alertEmail: body.alert_email },
    }),
  ),
);

/** Removes the budget (billing:write); audit-logged by the core with the settings it had. */
export const DELETE = route(removeTeamBudgetRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor }) =>
  budgetShape(await removeBudget({ db, actor })),
);
