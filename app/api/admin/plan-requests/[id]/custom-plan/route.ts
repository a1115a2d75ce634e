import { makeCustomPlan } from "@/lib/billing/plans/make-custom-plan";
import { reply, route } from "@/lib/edge/route";
import { makeCustomPlanRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(makeCustomPlanRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const plan = await makeCustomPlan({ db, requestId: params.id, actorUserId: admin.id, input: body });
  return reply(plan, { status: 201 });
});
