import type { Stripe } from "@stripe/stripe-js";

// Stripe.js for the embedded Checkout of Top Up and Subscription. Its loader and the React wrapper load in their own
// chunks (here by import(), the wrapper through next/dynamic in ./lazy-checkout), not with the page.

/** How long to wait for Stripe.js before falling back to the hosted checkout page. */
const STRIPE_JS_TIMEOUT_MS = 6000;

/** Stripe.js, or null when it cannot load (offline, blocked): the caller then asks for the hosted page. */
export function loadStripeJs(publishableKey: string): Promise<Stripe | null> {
  const stripe = import("@stripe/stripe-js/pure").then(({ loadStripe }) => loadStripe(publishableKey)).catch(() => null);
  return Promise.race([stripe, new Promise<null>((resolve) => setTimeout(() => resolve(null), STRIPE_JS_TIMEOUT_MS))]);
}
