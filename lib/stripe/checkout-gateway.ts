import type Stripe from "stripe";
import type { CheckoutGateway, CheckoutSessionSnapshot } from "../billing/topups/checkout-session";
import { callStripe } from "./client";

const idOf = (v: string | { id: string } | null | undefined): string | null => (v == null ? null : typeof v === "string" ? v : v.id);

/** The facts fulfilment needs from a Checkout Session, as Stripe has them now. */
export function toCheckoutSnapshot(s: Stripe.Checkout.Session): CheckoutSessionSnapshot {
  const pi = s.payment_intent && typeof s.payment_intent === "object" ? s.payment_intent : null;
  const charge = pi?.latest_charge && typeof pi.latest_charge === "object" ? pi.latest_charge : null;
  return {
    id: s.id,
    mode: s.mode,
    status: s.status,
    paymentStatus: s.payment_status,
    amountTotal: s.amount_total,
    currency: s.currency,
    clientReferenceId: s.client_reference_id,
    metadata: Object.fromEntries(Object.entries(s.metadata ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")),
    customerId: idOf(s.customer as string | { id: string } | null),
    paymentIntent: pi
      ? { id: pi.id, status: pi.status, latestChargeId: idOf(pi.latest_charge), lastErrorMessage: pi.last_payment_error?.message ?? null }
      : typeof s.payment_intent === "string"
        ? { id: s.payment_intent, status: "unknown", latestChargeId: null, lastErrorMessage: null }
        : null,
    methodType: charge?.payment_method_details?.type ?? pi?.payment_method_types?.[0] ?? null,
  };
}

/** Reads sessions from Stripe with their PaymentIntent and its latest charge. */
export function stripeCheckoutGateway(stripe: Stripe): CheckoutGateway {
  return {
    retrieveCheckoutSession: (sessionId) =>
      callStripe("retrieving a checkout session", async () =>
        toCheckoutSnapshot(await stripe.checkout.sessions.retrieve(sessionId, { expand: ["payment_intent", "payment_intent.latest_charge"] })),
      ),
  };
}

/** stripeCheckoutGateway with its client made on first use: without Stripe keys only reading a session fails. */
export function lazyCheckoutGateway(stripe: () => Stripe): CheckoutGateway {
  return { retrieveCheckoutSession: (sessionId) => stripeCheckoutGateway(stripe()).retrieveCheckoutSession(sessionId) };
}
