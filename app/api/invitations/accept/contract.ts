import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/** POST /api/invitations/accept: the signed-in person, if the invitation is for their address, joins its team. */
export const acceptInvitationRoute = defineRoute({
  method: "POST",
  path: "/api/invitations/accept",
  body: z.strictObject({ token: z.string().max(400, "This invitation link is not valid.") }),
  output: z.object({ teamSlug: z.string() }),
});
