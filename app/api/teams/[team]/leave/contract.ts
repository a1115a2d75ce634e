import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/leave: the signed-in member leaves (not their personal team, not as its last owner). */
export const leaveTeamRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/leave",
  params: z.object({ team: z.string() }),
  output: z.object({ id: z.string() }),
});
