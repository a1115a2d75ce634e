import { declineAdjustment } from "@/lib/billing/adjustments/decline-adjustment";
import { route } from "@/lib/edge/route";
import { declineAdjustmentRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(declineAdjustmentRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const request = await declineAdjustment({ db, requestId: params.id, adminUserId: admin.id, reason: body.reason });
  return { id: request.id, status: "DECLINED" as const };
});
