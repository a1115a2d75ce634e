import { route } from "@/lib/edge/route";
import { removeMember } from "@/lib/teams/members/remove-member";
import { removeMemberRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(removeMemberRoute, { auth: "team", permission: "members:manage" }, async ({ db, actor, params }) =>
  removeMember({ db, actor, membershipId: params.id }),
);
