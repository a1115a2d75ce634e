import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { planRequestSchema } from "@/app/api/teams/[team]/plan-requests/contract";

// Enterprise requests as platform admins see them, and their answers: a custom plan for the team, or a decline.

/** GET /api/admin/plan-requests: the open requests, oldest first, with the team and who asked. */
export const adminPlanRequestsRoute = defineRoute({
  method: "GET",
  path: "/api/admin/plan-requests",
  output: z.object({
    requests: z.array(
      planRequestSchema.extend({
        team: z.object({ id: z.string(), name: z.string(), slug: z.string() }),
        requester: z.object({ email: z.string().nullable(), name: z.string().nullable() }).nullable(),
      }),
    ),
  }),
});
