import { getCreditLine } from "@/lib/billing/credit-lines/get-credit-line";
import { submitApplication } from "@/lib/billing/credit-lines/submit-application";
import { reply, route } from "@/lib/edge/route";
import { creditLineRoute, submitCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(creditLineRoute, { auth: "team", permission: "billing:read" }, async ({ db, team }) => getCreditLine({ db, teamId: team.id }));

export const POST = route(submitCreditLineRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, body, appUrl }) => {
  const app = await submitApplication({ db, teamId: team.id, actorUserId: actor.userId, input: body, appUrl });
  return reply({ application: { id: app.id, status: app.status } }, { status: 201 });
});
