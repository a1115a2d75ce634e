import { resendConfirmation } from "@/lib/billing/credit-lines/resend-confirmation";
import { route } from "@/lib/edge/route";
import { resendCreditLineEmailRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(resendCreditLineEmailRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, params, appUrl }) => {
  await resendConfirmation({ db, teamId: team.id, applicationId: params.id, actorUserId: actor.userId, appUrl });
  return { sent: true as const };
});
