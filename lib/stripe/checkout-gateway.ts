import Stripe from "stripe";
import type { CheckoutGateway, CheckoutPage, CheckoutSessionSnapshot, TopUpCheckoutGateway, TopUpCheckoutRequest } from "../billing/topups/checkout-session";
import { callStripe, toBillingError, isStripeError } from "./client";

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

function toCheckoutPage(s: Stripe.Checkout.Session): CheckoutPage {
  return { sessionId: s.id, open: s.status === "open", ui: s.ui_mode === "embedded_page" ? "embedded" : "hosted", clientSecret: s.client_secret, url: s.url };
}

/** A top-up's Checkout Session in payment mode, for exactly the amount and method the core priced. */
function topUpSessionParams(r: TopUpCheckoutRequest): Stripe.Checkout.SessionCreateParams {
  return {
    mode: "payment",
    ui_mode: r.ui === "embedded" ? "embedded_page" : "hosted_page",
    line_items: [
      {
        quantity: 1,
        price_data: { currency: r.currency, unit_amount: Number(r.amountCents), product_data: { name: r.productName, description: r.productDescription } },
      },
    ],
    allowed_payment_method_types: [r.method],
    ...(r.method === "wechat_pay" ? { payment_method_options: { wechat_pay: { client: "web" } } } : {}),
    client_reference_id: r.clientReferenceId,
    metadata: r.metadata,
    payment_intent_data: { metadata: r.paymentIntentMetadata, description: r.paymentIntentDescription },
    ...(r.customerId ? { customer: r.customerId } : { customer_creation: "always" as const, ...(r.customerEmail ? { customer_email: r.customerEmail } : {}) }),
    expires_at: Math.floor(r.expiresAt.getTime() / 1000),
    ...(r.ui === "embedded" ? { return_url: r.returnUrl } : { success_url: r.returnUrl, cancel_url: r.cancelUrl }),
  };
}

/** Checkout Sessions at Stripe: read with their PaymentIntent and its latest charge, opened and expired for top-ups. */
export function stripeCheckoutGateway(stripe: Stripe): CheckoutGateway & TopUpCheckoutGateway {
  return {
    retrieveCheckoutSession: (sessionId) =>
      callStripe("retrieving a checkout session", async () =>
        toCheckoutSnapshot(await stripe.checkout.sessions.retrieve(sessionId, { expand: ["payment_intent", "payment_intent.latest_charge"] })),
      ),
    openTopUpCheckout: (request) =>
      callStripe("creating a checkout session", async () =>
        toCheckoutPage(await stripe.checkout.sessions.create(topUpSessionParams(request), { idempotencyKey: request.idempotencyKey })),
      ),
    readCheckoutPage: (sessionId) =>
      callStripe("retrieving a checkout session", async () => toCheckoutPage(await stripe.checkout.sessions.retrieve(sessionId))),
    expireCheckoutSession: async (sessionId) => {
      try {
        await stripe.checkout.sessions.expire(sessionId);
        return true;
      } catch (e) {
        // Only an open session can be expired; anything else means it completed or expired on its own.
        if (isStripeError(e, "StripeInvalidRequestError")) return false;
        throw toBillingError("expiring a checkout session", e);
      }
    },
  };
}
