import { z } from "zod";
import { defineRoute, isoDate, money } from "@/lib/edge/contract";

// The Enterprise request of a team: the form on Subscription's Enterprise card and what became of it.

export const planRequestSchema = z.object({
  id: z.string(),
  status: z.enum(["OPEN", "DONE", "DECLINED"]),
  company: z.string(),
  contactEmail: z.string(),
  expectedMonthlyCredits: money(),
  message: z.string(),
  declineReason: z.string().nullable(),
  plan: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: isoDate(),
  handledAt: isoDate().nullable(),
});

const params = z.object({ team: z.string() });

/** GET /api/teams/:team/plan-requests: the team's latest Enterprise request (open, or the last answer), or null. */
export const teamPlanRequestRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/plan-requests",
  params,
  output: z.object({ request: planRequestSchema.nullable() }),
});

/** POST /api/teams/:team/plan-requests: ask for Enterprise (owners and billing members; one open request per team). */
export const createPlanRequestRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/plan-requests",
  params,
  // Loose shapes here; the core checks each field and names the one that is wrong.
  body: z.strictObject({
    company: z.string(),
    contactEmail: z.string(),
    expectedMonthlyCredits: z.union([z.string(), z.number()]),
    message: z.string().nullish(),
  }),
  output: z.object({ request: planRequestSchema }),
});
