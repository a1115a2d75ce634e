import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/teams/:team/invitations/:id/revoke: the invitation's link stops working at once. */
export const revokeInvitationRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/invitations/:id/revoke",
  params: z.object({ team: z.string(), id: z.string() }),
  output: z.object({ id: z.string() }),
});
