import { getTeamPlanRequest } from "@/lib/billing/plans/get-team-plan-request";
import { requestEnterprisePlan } from "@/lib/billing/plans/request-enterprise-plan";
import { reply, route } from "@/lib/edge/route";
import { createPlanRequestRoute, teamPlanRequestRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(teamPlanRequestRoute, { auth: "team", permission: "billing:read" }, async ({ db, team }) => ({
  request: await getTeamPlanRequest({ db, teamId: team.id }),
}));

export const POST = route(createPlanRequestRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, actor, body }) => {
  const request = await requestEnterprisePlan({ db, teamId: team.id, requesterUserId: actor.userId, input: body });
  return reply({ request }, { status: 201 });
});
