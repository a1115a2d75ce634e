import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { BillingError } from "../errors";
import type { CheckoutGateway, TopUpCheckoutGateway } from "./checkout-session";
import { closeTopUp } from "./close-top-up";
import { fulfilCheckout } from "./fulfil-checkout";

/**
 * The person backed out of a checkout ("Change amount"): expires the session at Stripe so it can no longer be paid,
 * then closes the payment and gives back its coupon. If Stripe says it was paid meanwhile, fulfils it instead.
 */
export async function cancelTopUpCheckout({
  db,
  gateway,
  teamId,
  paymentId,
}: {
  db: Db;
  gateway: CheckoutGateway & TopUpCheckoutGateway;
  teamId: string;
  paymentId: string;
}): Promise<Payment> {
  const payment = await db.payment.findFirst({ where: { id: paymentId, teamId } });
  if (!payment) throw new BillingError("NOT_FOUND", "That payment does not exist.");
  if (payment.status !== "PENDING") return payment;
  if (!payment.stripeCheckoutSession) return (await closeTopUp({ db, paymentId, status: "CANCELED" })).payment ?? payment;
  const sessionId = payment.stripeCheckoutSession;
  if (!(await gateway.expireCheckoutSession(sessionId))) {
    // Only an open session can be expired: this one completed or expired on its own.
    const r = await fulfilCheckout({ db, sessionId, gateway });
    return r.payment ?? payment;
  }
  return (await closeTopUp({ db, paymentId, status: "CANCELED" })).payment ?? payment;
}
