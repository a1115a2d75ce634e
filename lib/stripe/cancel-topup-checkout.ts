import Stripe from "stripe";
import type { Db } from "../db/client";
import type { Payment } from "../db/generated/client";
import { BillingError } from "../billing/errors";
import { closeTopUp } from "../billing/topups/close-top-up";
import { fulfilCheckout } from "../billing/topups/fulfil-checkout";
import { toBillingError } from "./client";
import { stripeCheckoutGateway } from "./checkout-gateway";

/**
 * The person backed out of a checkout ("Change amount"): expires the session at Stripe so it can no longer be paid,
 * then closes the payment and gives back its coupon. If Stripe says it was paid meanwhile, fulfils it instead.
 */
export async function cancelTopUpCheckout({ db, stripe, teamId, paymentId }: { db: Db; stripe: Stripe; teamId: string; paymentId: string }): Promise<Payment> {
  const payment = await db.payment.findFirst({ where: { id: paymentId, teamId } });
  if (!payment) throw new BillingError("NOT_FOUND", "That payment does not exist.");
  if (payment.status !== "PENDING") return payment;
  if (!payment.stripeCheckoutSession) return (await closeTopUp({ db, paymentId, status: "CANCELED" })).payment ?? payment;
  const sessionId = payment.stripeCheckoutSession;
  try {
    await stripe.checkout.sessions.expire(sessionId);
  } catch (e) {
    // Only an open session can be expired; anything else means it completed or expired on its own.
    if (!(e instanceof Stripe.errors.StripeInvalidRequestError)) throw toBillingError("expiring a checkout session", e);
    const r = await fulfilCheckout({ db, sessionId, gateway: stripeCheckoutGateway(stripe) });
    return r.payment ?? payment;
  }
  return (await closeTopUp({ db, paymentId, status: "CANCELED" })).payment ?? payment;
}
