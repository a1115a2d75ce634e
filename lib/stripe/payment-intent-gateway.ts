import Stripe from "stripe";
import type { PaymentIntentGateway, PaymentIntentSnapshot } from "../billing/purchases/payment-intent";
import { callStripe, toBillingError, isStripeError } from "./client";

const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === "string" ? v : v.id);

/** The facts settling a purchase needs from a PaymentIntent, as Stripe has them. */
export function toPaymentIntentSnapshot(pi: Stripe.PaymentIntent): PaymentIntentSnapshot {
  return {
    id: pi.id,
    status: pi.status,
    amount: pi.amount,
    currency: pi.currency,
    customerId: idOf(pi.customer as string | { id: string } | null),
    metadata: Object.fromEntries(Object.entries(pi.metadata ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")),
    latestChargeId: idOf(pi.latest_charge as string | { id: string } | null),
    lastErrorCode: pi.last_payment_error?.code ?? null,
    lastErrorMessage: pi.last_payment_error?.message ?? null,
  };
}

/** PaymentIntents at Stripe: read fresh (never trusted from a webhook body or the browser), charged, confirmed, cancelled. */
export function stripePaymentIntentGateway(stripe: Stripe): PaymentIntentGateway {
  return {
    retrievePaymentIntent: (id) => callStripe("retrieving a payment", async () => toPaymentIntentSnapshot(await stripe.paymentIntents.retrieve(id))),
    chargeOffSession: async (charge) => {
      try {
        const pi = await stripe.paymentIntents.create(
          {
            amount: Number(charge.amountCents),
            currency: charge.currency,
            customer: charge.customerId,
            payment_method: charge.paymentMethodId,
            off_session: true,
            confirm: true,
            description: charge.description,
            metadata: charge.metadata,
          },
          { idempotencyKey: charge.idempotencyKey },
        );
        return toPaymentIntentSnapshot(pi);
      } catch (e) {
        // A declined card (or one that needs authentication) is Stripe's answer, not a failure to reach Stripe.
        if (isStripeError(e, "StripeCardError") && e.payment_intent) {
          const snap = toPaymentIntentSnapshot(e.payment_intent);
          return { ...snap, lastErrorCode: snap.lastErrorCode ?? e.code ?? null, lastErrorMessage: snap.lastErrorMessage ?? e.message };
        }
        throw toBillingError("charging the saved card", e);
      }
    },
    confirmOnSession: async (id, { paymentMethodId, returnUrl, idempotencyKey }) => {
      const confirmed = await callStripe("starting card authentication", () =>
        stripe.paymentIntents.confirm(id, { payment_method: paymentMethodId, return_url: returnUrl }, { idempotencyKey }),
      );
      return { status: confirmed.status, redirectUrl: confirmed.next_action?.redirect_to_url?.url ?? null };
    },
    cancelPaymentIntent: async (id) => {
      await stripe.paymentIntents.cancel(id);
    },
  };
}
