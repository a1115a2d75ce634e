import { route } from "@/lib/edge/route";
import { leaveTeam } from "@/lib/teams/members/leave-team";
import { leaveTeamRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(leaveTeamRoute, { auth: "team", permission: "team:read" }, async ({ db, actor }) => leaveTeam({ db, actor }));
