import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { closePurchase } from "./close-purchase";
import type { PaymentIntentGateway } from "./payment-intent";
import { type SettleOutcome, settlePurchase } from "./settle-purchase";

/**
 * The return page after 3-D Secure: reads the team's purchase PaymentIntent from Stripe and settles it (credited once,
 * or failed with Stripe's reason). A PaymentIntent still waiting for authentication when the person gave up is
 * cancelled at Stripe and the purchase closed, so it cannot be charged later by surprise.
 */
export async function finishPurchaseAuthentication({
  db,
  gateway,
  teamId,
  paymentIntentId,
}: {
  db: Db;
  gateway: PaymentIntentGateway;
  teamId: string;
  paymentIntentId: string;
}): Promise<{ outcome: SettleOutcome; payment: Payment | null }> {
  const payment = await db.payment.findFirst({ where: { teamId, stripePaymentIntent: paymentIntentId, kind: "PURCHASE" } });
  if (!payment) return { outcome: "not_found", payment: null };
  const intent = await gateway.retrievePaymentIntent(paymentIntentId);
  const settled = await settlePurchase({ db, intent });
  if (settled.outcome === "requires_action") {
    await gateway.cancelPaymentIntent(paymentIntentId).catch(() => null);
    const closed = await closePurchase({
      db,
      paymentId: payment.id,
      status: "CANCELED",
      failureMessage: "The charge was not confirmed with your bank, so nothing was charged.",
    });
    return { outcome: "failed", payment: closed.payment };
  }
  return { outcome: settled.outcome, payment: settled.payment };
}
