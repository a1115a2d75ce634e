import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/members/:id/remove: takes someone else out of the team (never the last owner). */
export const removeMemberRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/members/:id/remove",
  params: z.object({ team: z.string(), id: z.string() }),
  output: z.object({ id: z.string() }),
});
