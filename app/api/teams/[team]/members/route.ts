import { can } from "@/lib/auth/permissions";
import { route } from "@/lib/edge/route";
import { readTeamMembers } from "@/lib/teams/members/read-team-members";
import { membersRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(membersRoute, { auth: "team", permission: "team:read" }, async ({ db, actor, team }) =>
  readTeamMembers({ db, actor, personalTeam: team.personalOwnerId !== null, manage: can(actor, "members:manage") }),
);
