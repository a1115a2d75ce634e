import { route } from "@/lib/edge/route";
import { revokeInvitation } from "@/lib/teams/members/revoke-invitation";
import { revokeInvitationRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(revokeInvitationRoute, { auth: "team", permission: "members:manage" }, async ({ db, actor, params }) =>
  revokeInvitation({ db, actor, invitationId: params.id }),
);
