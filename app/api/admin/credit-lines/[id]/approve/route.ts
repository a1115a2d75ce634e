import { approveApplication } from "@/lib/billing/credit-lines/approve-application";
import { route } from "@/lib/edge/route";
import { approveCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(approveCreditLineRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const app = await approveApplication({ db, applicationId: params.id, adminUserId: admin.id, limit: body.limit, reason: body.reason });
  return { id: app.id, status: app.status };
});
