import { route } from "@/lib/edge/route";
import { acceptInvitation } from "@/lib/teams/members/accept-invitation";
import { acceptInvitationRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(acceptInvitationRoute, { auth: "user" }, async ({ db, user, body }) => acceptInvitation({ db, token: body.token, user }));
