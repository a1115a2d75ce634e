import type { Payment } from "../../db/generated/client";
import { formatCents } from "../money";
import type { PaymentIntentGateway, PaymentIntentSnapshot } from "./payment-intent";

/**
 * Charges a saved card off-session for a Buy Credit or auto top-up payment: one PaymentIntent per payment (idempotency
 * key <kind>-pi:<payment id>, so a retry never charges twice), with our team and payment ids in metadata. A declined
 * card or one that needs authentication is not an exception here: Stripe's answer comes back as the PaymentIntent's
 * state for settlePurchase to decide on. Stripe being unreachable throws STRIPE_UNAVAILABLE.
 */
export async function chargeSavedCard({
  gateway,
  payment,
  customerId,
  paymentMethodId,
}: {
  gateway: PaymentIntentGateway;
  payment: Payment;
  customerId: string;
  paymentMethodId: string;
}): Promise<PaymentIntentSnapshot> {
  const kind = payment.kind === "AUTO_TOPUP" ? "auto-topup" : "purchase";
  return gateway.chargeOffSession({
    amountCents: payment.amountCents,
    currency: payment.currency,
    customerId,
    paymentMethodId,
    description: `Creditdesk ${kind === "purchase" ? "credit purchase" : "auto top-up"} (${formatCents(payment.amountCents, payment.currency)})`,
    metadata: { team_id: payment.teamId, payment_id: payment.id, kind },
    idempotencyKey: `${kind}-pi:${payment.id}`,
  });
}
