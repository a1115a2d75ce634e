import { reply, route } from "@/lib/edge/route";
import { emailConfigured } from "@/lib/teams/members/invitation-email";
import { inviteMember } from "@/lib/teams/members/invite-member";
import { inviteMemberRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(inviteMemberRoute, { auth: "team", permission: "members:manage" }, async ({ db, actor, body, appUrl }) =>
  reply(await inviteMember({ db, actor, email: body.email, role: body.role, appUrl, sendEmail: emailConfigured() }), { status: 201 }),
);
