import { route } from "@/lib/edge/route";
import { transferOwnership } from "@/lib/teams/members/transfer-ownership";
import { transferOwnershipRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(transferOwnershipRoute, { auth: "team", permission: "members:manage" }, async ({ db, actor, params }) =>
  transferOwnership({ db, actor, membershipId: params.id }),
);
