import { z } from "zod";
import { defineRoute, isoDate } from "@/lib/edge/contract";

// A team's members and open invitations. Every member sees who is in the team; owners and admins (members:manage)
// also see the open invitations and change things (app/api/teams/[team]/members/[id]/*, invitations/*).

export const teamRole = z.enum(["OWNER", "ADMIN", "BILLING", "MEMBER"], { error: "Choose owner, admin, billing or member" });

export const memberSchema = z.object({
  id: z.string(),
  role: teamRole,
  name: z.string().nullable(),
  email: z.string().nullable(),
  you: z.boolean(),
  personalOwner: z.boolean(),
});

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: teamRole,
  createdAt: isoDate(),
  expiresAt: isoDate(),
  expired: z.boolean(),
  invitedBy: z.string().nullable(),
  stale: z.boolean(),
});

/** GET /api/teams/:team/members: the members (oldest first), your role, and (owners and admins) the open invitations. */
export const membersRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/members",
  params: z.object({ team: z.string() }),
  output: z.object({ yourRole: teamRole, personalTeam: z.boolean(), members: z.array(memberSchema), invitations: z.array(invitationSchema) }),
});
