import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { invitationSchema, teamRole } from "../members/contract";

/** An invitation and, when this installation sends no email, the link to pass on (else null: it was emailed). */
export const sentInvitation = z.object({ invitation: invitationSchema, link: z.string().nullable() });

/** POST /api/teams/:team/invitations: invites an address with a role (owners: any role; admins: not owner). */
export const inviteMemberRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/invitations",
  params: z.object({ team: z.string() }),
  body: z.strictObject({
    email: z.string().trim().max(254, "At most 254 characters").pipe(z.email("Enter an email address")),
    role: teamRole,
  }),
  output: sentInvitation,
});
