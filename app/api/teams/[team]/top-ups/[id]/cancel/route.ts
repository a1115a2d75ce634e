import { withTeamSession } from "@/lib/auth/team-route";
import { viewPayments } from "@/lib/billing/payments/payment-view";
import { cancelTopUpCheckout } from "@/lib/stripe/cancel-topup-checkout";
import { stripeClient } from "@/lib/stripe/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The person backed out of checkout: the session is expired at Stripe and the coupon given back. */
export const POST = withTeamSession<{ team: string; id: string }>("billing:write", async ({ params, team, db }) => {
  const payment = await cancelTopUpCheckout({ db, stripe: stripeClient(), teamId: team.id, paymentId: params.id });
  return Response.json({ payment: (await viewPayments(db, [payment]))[0] }, { headers: { "cache-control": "no-store" } });
});
