"use client";

import { useState } from "react";
import { callRoute, RouteError } from "@/components/data/route-hooks";
import { formatCredits } from "@/components/format";
import type { PaymentView } from "@/lib/billing/payments/payment-view";
import type { cancelTopUpRoute as cancelTopUpRouteContract } from "@/app/api/teams/[team]/top-ups/[id]/cancel/contract";
import { endpoint } from "@/lib/edge/endpoint";

const cancelTopUpRoute = endpoint<typeof cancelTopUpRouteContract>("POST /api/teams/:team/top-ups/:id/cancel");

type Shown = Pick<PaymentView, "id" | "status" | "totalCredits" | "failureMessage">;

const box = "mt-4 rounded-md p-3";
const neutral = `${box} bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200`;

/**
 * Back from the hosted checkout's "Back" link (?canceled=<id>): says what actually happened to that payment. The page
 * only reads; a checkout still open is canceled by the person's explicit click (POST …/cancel), which may also find
 * that it was paid after all. A plain callRoute, not useRouteMutation: the note also renders outside the app's
 * providers (the page's server-side tests), and the answer is all it shows.
 */
export function LeftCheckoutNote({ teamSlug, payment, canPay }: { teamSlug: string; payment: Shown; canPay: boolean }) {
  const [shown, setShown] = useState(payment);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      setShown((await callRoute(cancelTopUpRoute, { params: { team: teamSlug, id: shown.id }, body: {} })).payment);
    } catch (e) {
      setError(e instanceof RouteError ? e.record.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  switch (shown.status) {
    case "succeeded":
    case "partially_refunded":
    case "refunded":
    case "disputed":
      return (
        <p role="status" data-testid="checkout-note" className={`${box} bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100`}>
          This payment went through: {formatCredits(shown.totalCredits)} credits were added to your balance. See it in the payment history below.
        </p>
      );
    case "canceled":
    case "expired":
      return (
        <p role="status" data-testid="checkout-note" className={neutral}>
          Checkout canceled. Nothing was charged.
        </p>
      );
    case "failed":
      return (
        <p role="status" data-testid="checkout-note" className={neutral}>
          {shown.failureMessage ?? "The payment did not go through."} Nothing was charged.
        </p>
      );
    case "pending":
      return (
        <div role="status" data-testid="checkout-note" className={neutral}>
          <p>
            You left checkout before it finished. If you did not pay, cancel it so it can no longer be paid; if you did, canceling finds the payment and credits
            it.
          </p>
          {canPay && (
            <button
              type="button"
              onClick={() => void cancel()}
              disabled={busy}
              className="mt-2 rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900"
            >
              {busy ? "Canceling…" : "Cancel this checkout"}
            </button>
          )}
          {error && (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">
              {error}
            </p>
          )}
        </div>
      );
  }
}
