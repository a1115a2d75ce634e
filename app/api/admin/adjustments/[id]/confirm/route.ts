import { confirmAdjustment } from "@/lib/billing/adjustments/confirm-adjustment";
import { route } from "@/lib/edge/route";
import { confirmAdjustmentRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(confirmAdjustmentRoute, { auth: "admin" }, async ({ db, admin, params }) => {
  const { request, entry } = await confirmAdjustment({ db, requestId: params.id, adminUserId: admin.id });
  return { id: request.id, status: "CONFIRMED" as const, entryId: entry.id, amount: entry.amount };
});
