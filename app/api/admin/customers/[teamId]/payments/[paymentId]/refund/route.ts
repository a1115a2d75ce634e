import { refundPayment } from "@/lib/billing/refunds/refund-payment";
import { route } from "@/lib/edge/route";
import { refundPaymentRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(refundPaymentRoute, { auth: "admin" }, async ({ db, admin, gateway, params, body }) => {
  const { refund, duplicate } = await refundPayment({
    db,
    gateway: gateway(),
    teamId: params.teamId,
    paymentId: params.paymentId,
    adminUserId: admin.id,
    input: body,
  });
  return { refundId: refund.id, amountCents: refund.amountCents, currency: refund.currency, status: refund.status, duplicate };
});
