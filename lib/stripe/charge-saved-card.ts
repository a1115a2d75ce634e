import Stripe from "stripe";
import type { Payment } from "../db/generated/client";
import type { PaymentIntentSnapshot } from "../billing/purchases/payment-intent";
import { formatCents } from "../billing/money";
import { toBillingError } from "./client";
import { toPaymentIntentSnapshot } from "./payment-intent-gateway";

/**
 * Charges a saved card off-session for a Buy Credit or auto top-up payment: one PaymentIntent per payment (Stripe
 * idempotency key <kind>-pi:<payment id>, so a retry never charges twice), with our team and payment ids in metadata.
 * A declined card or one that needs authentication is not an exception here: Stripe's answer comes back as the
 * PaymentIntent's state for settlePurchase to decide on. Stripe being unreachable throws STRIPE_UNAVAILABLE.
 */
export async function chargeSavedCard({
  stripe,
  payment,
  customerId,
  paymentMethodId,
}: {
  stripe: Stripe;
  payment: Payment;
  customerId: string;
  paymentMethodId: string;
}): Promise<PaymentIntentSnapshot> {
  const kind = payment.kind === "AUTO_TOPUP" ? "auto-topup" : "purchase";
  try {
    const pi = await stripe.paymentIntents.create(
      {
        amount: Number(payment.amountCents),
        currency: payment.currency,
        customer: customerId,
        payment_method: paymentMethodId,
        off_session: true,
        confirm: true,
        description: `Creditdesk ${kind === "purchase" ? "credit purchase" : "auto top-up"} (${formatCents(payment.amountCents, payment.currency)})`,
        metadata: { team_id: payment.teamId, payment_id: payment.id, kind },
      },
      { idempotencyKey: `${kind}-pi:${payment.id}` },
    );
    return toPaymentIntentSnapshot(pi);
  } catch (e) {
    if (e instanceof Stripe.errors.StripeCardError && e.payment_intent) {
      const snap = toPaymentIntentSnapshot(e.payment_intent);
      return { ...snap, lastErrorCode: snap.lastErrorCode ?? e.code ?? null, lastErrorMessage: snap.lastErrorMessage ?? e.message };
    }
    throw toBillingError("charging the saved card", e);
  }
}
