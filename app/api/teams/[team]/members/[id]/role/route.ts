import { route } from "@/lib/edge/route";
import { changeMemberRole } from "@/lib/teams/members/change-member-role";
import { changeMemberRoleRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(changeMemberRoleRoute, { auth: "team", permission: "members:manage" }, async ({ db, actor, params, body }) =>
  changeMemberRole({ db, actor, membershipId: params.id, role: body.role }),
);
