import type { Stripe } from "@stripe/stripe-js";
import { loadStripe } from "@stripe/stripe-js/pure";

/** How long to wait for Stripe.js before falling back to the hosted checkout page (as Top Up does). */
const STRIPE_JS_TIMEOUT_MS = 6000;

/** Stripe.js, or null when it cannot load (offline, blocked): the caller then asks for the hosted page. */
export function loadStripeJs(publishableKey: string): Promise<Stripe | null> {
  return Promise.race([loadStripe(publishableKey).catch(() => null), new Promise<null>((resolve) => setTimeout(() => resolve(null), STRIPE_JS_TIMEOUT_MS))]);
}
