import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { sentInvitation } from "../../contract";

/** POST /api/teams/:team/invitations/:id/resend: a new link valid 7 days; the old one stops working. */
export const resendInvitationRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/invitations/:id/resend",
  params: z.object({ team: z.string(), id: z.string() }),
  output: sentInvitation,
});
