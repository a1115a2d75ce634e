import { route } from "@/lib/edge/route";
import { emailConfigured } from "@/lib/teams/members/invitation-email";
import { resendInvitation } from "@/lib/teams/members/resend-invitation";
import { resendInvitationRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(resendInvitationRoute, { auth: "team", permission: "members:manage" }, async ({ db, actor, params, appUrl }) =>
  resendInvitation({ db, actor, invitationId: params.id, appUrl, sendEmail: emailConfigured() }),
);
