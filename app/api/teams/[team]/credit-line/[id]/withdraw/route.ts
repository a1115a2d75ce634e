import { withdrawApplication } from "@/lib/billing/credit-lines/withdraw-application";
import { route } from "@/lib/edge/route";
import { withdrawCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(withdrawCreditLineRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, params, body }) => {
  await withdrawApplication({ db, teamId: team.id, applicationId: params.id, actorUserId: actor.userId, reason: body.reason });
  return { status: "WITHDRAWN" as const };
});
