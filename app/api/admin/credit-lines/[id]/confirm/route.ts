import { confirmApproval } from "@/lib/billing/credit-lines/confirm-approval";
import { route } from "@/lib/edge/route";
import { confirmCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(confirmCreditLineRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const app = await confirmApproval({ db, applicationId: params.id, adminUserId: admin.id, reason: body.reason });
  return { id: app.id, status: app.status };
});
