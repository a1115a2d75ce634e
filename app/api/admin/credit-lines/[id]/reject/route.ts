import { rejectApplication } from "@/lib/billing/credit-lines/reject-application";
import { route } from "@/lib/edge/route";
import { rejectCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(rejectCreditLineRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const app = await rejectApplication({ db, applicationId: params.id, adminUserId: admin.id, reason: body.reason });
  return { id: app.id, status: app.status };
});
