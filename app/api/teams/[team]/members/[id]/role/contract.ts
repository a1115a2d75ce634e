import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { teamRole } from "../../contract";

/** POST /api/teams/:team/members/:id/role: another role (owners: any; admins: not to or from owner; never the last owner). */
export const changeMemberRoleRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/members/:id/role",
  params: z.object({ team: z.string(), id: z.string() }),
  body: z.strictObject({ role: teamRole }),
  output: z.object({ id: z.string(), role: teamRole }),
});
