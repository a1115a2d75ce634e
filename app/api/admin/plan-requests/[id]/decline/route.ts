import { declinePlanRequest } from "@/lib/billing/plans/decline-plan-request";
import { route } from "@/lib/edge/route";
import { declinePlanRequestRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(declinePlanRequestRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  await declinePlanRequest({ db, requestId: params.id, actorUserId: admin.id, reason: body.reason });
  return { id: params.id, status: "DECLINED" as const };
});
