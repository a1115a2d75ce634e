"use client";

import { EmbeddedCheckout, EmbeddedCheckoutProvider } from "@stripe/react-stripe-js";
import type { Stripe } from "@stripe/stripe-js";

/** Stripe's embedded Checkout for a session's client secret (loaded only once a checkout starts: ./lazy-checkout). */
export function StripeEmbeddedCheckout({ stripe, clientSecret }: { stripe: Stripe; clientSecret: string }) {
  return (
    <EmbeddedCheckoutProvider key={clientSecret} stripe={stripe} options={{ clientSecret }}>
      <EmbeddedCheckout className="rounded-lg border border-slate-200 bg-white dark:border-slate-800" />
    </EmbeddedCheckoutProvider>
  );
}
