import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { budgetAnswer } from "@/app/api/v1/billing/budget/contract";

// The dashboard's budget form: the team's monthly cap in exactly the shape GET /api/v1/billing/budget answers, set and
// removed through the same core functions as the API.

const params = z.object({ team: z.string() });

/** GET /api/teams/:team/budget: the cap, this month's spend and the alerts sent (billing roles; a member gets 403). */
export const teamBudgetRoute = defineRoute({ method: "GET", path: "/api/teams/:team/budget", params, output: budgetAnswer });

/** PUT /api/teams/:team/budget: replaces the settings; the cap is dollars as typed, an empty alert email means none. */
export const saveTeamBudgetRoute = defineRoute({
  method: "PUT",
  path: "/api/teams/:team/budget",
  params,
  body: z.strictObject({
    monthly_cap_usd: z.string({ error: "must be a dollar amount like 500.00" }).max(32, "must be a dollar amount like 500.00"),
    alert_email: z
      .string()
      .trim()
      .max(254, "must be at most 254 characters")
      .transform((v) => v || null)
      .pipe(z.email("must be an email address, or empty for none").nullable()),
    hard_cap: z.boolean({ error: "must be true or false" }),
    allow_soft_overage: z.boolean({ error: "must be true or false" }),
  }),
  output: budgetAnswer,
});

/** DELETE /api/teams/:team/budget: no cap and no alerts any more (404 when there is none). */
export const removeTeamBudgetRoute = defineRoute({ method: "DELETE", path: "/api/teams/:team/budget", params, output: budgetAnswer });
