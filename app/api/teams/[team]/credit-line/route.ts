import { getCreditLine } from "@/lib/billing/credit-lines/get-credit-line";
import { saveDraft } from "@/lib/billing/credit-lines/save-draft";
import { submitApplication } from "@/lib/billing/credit-lines/submit-application";
import { reply, route } from "@/lib/edge/route";
import { creditLineRoute, saveCreditLineDraftRoute, submitCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(creditLineRoute, { auth: "team", permission: "billing:read" }, async ({ db, team }) => getCreditLine({ db, teamId: team.id }));

export const POST = route(submitCreditLineRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, body, appUrl }) => {
  const app = await submitApplication({ db, teamId: team.id, actorUserId: actor.userId, input: body, appUrl });
  return reply({ application: { id: app.id, status: app.status } }, { status: 201 });
});

export const PUT = route(saveCreditLineDraftRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, body }) => {
  const app = await saveDraft({ db, teamId: team.id, actorUserId: actor.userId, input: body });
  return { application: { id: app.id, status: app.status } };
});
