"use client";

import dynamic from "next/dynamic";

/** The embedded Checkout, its code fetched when a checkout starts rather than with the page. */
export const LazyEmbeddedCheckout = dynamic(() => import("./embedded-checkout").then((m) => m.StripeEmbeddedCheckout), {
  ssr: false,
  loading: () => (
    <p
      role="status"
      className="h-40 animate-pulse rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-600 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400"
    >
      Loading Stripe&rsquo;s checkout…
    </p>
  ),
});
