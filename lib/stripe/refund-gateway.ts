import Stripe from "stripe";
import { BillingError } from "../billing/errors";
import type { RefundGateway } from "../billing/refunds/refund-port";
import { toBillingError, isStripeError } from "./client";

// Stripe's answers that mean "not this refund" rather than "Stripe is down": the admin can act on them.
const REFUSALS: Record<string, string> = {
  amount_too_large: "Stripe says that is more than is left to refund on this payment. Reload the page to see what is left.",
  charge_already_refunded: "Stripe says this payment is already refunded in full.",
  charge_disputed: "This payment is disputed; it cannot be refunded while the dispute is open.",
  charge_not_refundable: "Stripe says this payment cannot be refunded.",
};

/** Refunds through Stripe, keyed so a retry returns the same refund. */
export function stripeRefundGateway(stripe: Stripe): RefundGateway {
  return {
    refundPayment: async (r) => {
      try {
        const refund = await stripe.refunds.create(
          {
            ...(r.paymentIntentId ? { payment_intent: r.paymentIntentId } : { charge: r.chargeId ?? undefined }),
            amount: Number(r.amountCents),
            metadata: { ...r.metadata, reason: r.reason.slice(0, 500) },
          },
          { idempotencyKey: r.idempotencyKey },
        );
        return { id: refund.id, amountCents: BigInt(refund.amount), currency: refund.currency, status: refund.status ?? "pending" };
      } catch (e) {
        if (isStripeError(e, "StripeInvalidRequestError") && e.code && REFUSALS[e.code]) {
          throw new BillingError("CONFLICT", REFUSALS[e.code]!, { stripeCode: e.code, field: "amount" });
        }
        throw toBillingError("refunding a payment", e);
      }
    },
  };
}
