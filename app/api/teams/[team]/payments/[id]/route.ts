import { withTeamSession } from "@/lib/auth/team-route";
import { readTeamPayment } from "@/lib/billing/payments/get-payment";
import { BillingError } from "@/lib/billing/errors";
import { fulfilCheckout } from "@/lib/billing/topups/fulfil-checkout";
import { stripeCheckoutGateway } from "@/lib/stripe/checkout-gateway";
import { stripeClient } from "@/lib/stripe/client";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * One payment's status and the team's balance, polled by the return page. With ?refresh=1 a pending payment is
 * re-read from Stripe and fulfilled if paid (the same idempotent step as the webhook), so credits arrive even when
 * a webhook is late.
 */
export const GET = withTeamSession<{ team: string; id: string }>("billing:read", async ({ req, params, actor, team, db }) => {
  let payment = await readTeamPayment({ db, actor, paymentId: params.id });
  if (!payment) throw new BillingError("NOT_FOUND", "That payment does not exist.");
  if (payment.status === "pending" && new URL(req.url).searchParams.get("refresh") === "1") {
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { stripeCheckoutSession: true } });
    if (row.stripeCheckoutSession) {
      await fulfilCheckout({ db, sessionId: row.stripeCheckoutSession, gateway: stripeCheckoutGateway(stripeClient()) });
      payment = await readTeamPayment({ db, actor, paymentId: params.id });
    }
  }
  const { balance } = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true } });
  return Response.json({ payment, balance: balance.toString() }, { headers: { "cache-control": "no-store" } });
});
