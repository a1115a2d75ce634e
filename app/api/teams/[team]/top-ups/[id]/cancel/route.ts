import { viewPayments } from "@/lib/billing/payments/payment-view";
import { route } from "@/lib/edge/route";
import { cancelTopUpCheckout } from "@/lib/billing/topups/cancel-top-up-checkout";
import { cancelTopUpRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(cancelTopUpRoute, { auth: "team", permission: "billing:write" }, async ({ db, gateway, team, params }) => {
  const canceled = await cancelTopUpCheckout({ db, gateway: gateway(), teamId: team.id, paymentId: params.id });
  const [payment] = await viewPayments(db, [canceled]);
  return { payment: payment! };
});
