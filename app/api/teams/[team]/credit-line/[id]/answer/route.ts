import { answerInfoRequest } from "@/lib/billing/credit-lines/answer-info-request";
import { route } from "@/lib/edge/route";
import { answerCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(answerCreditLineRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, params, body }) => {
  await answerInfoRequest({ db, teamId: team.id, applicationId: params.id, actorUserId: actor.userId, message: body.message });
  return { status: "SUBMITTED" as const };
});
