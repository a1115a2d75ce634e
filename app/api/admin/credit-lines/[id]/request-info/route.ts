import { requestInformation } from "@/lib/billing/credit-lines/request-information";
import { route } from "@/lib/edge/route";
import { requestInfoCreditLineRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(requestInfoCreditLineRoute, { auth: "admin" }, async ({ db, admin, params, body }) => {
  const app = await requestInformation({ db, applicationId: params.id, adminUserId: admin.id, reason: body.reason });
  return { id: app.id, status: app.status };
});
