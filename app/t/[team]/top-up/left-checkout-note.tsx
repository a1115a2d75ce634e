"use client";

import { useState } from "react";
import { sendJson } from "@/components/client-api";
import { formatCredits } from "@/components/format";
import type { PaymentView } from "@/lib/billing/payments/payment-view";

type Shown = Pick<PaymentView, "id" | "status" | "totalCredits" | "failureMessage">;

const box = "mt-4 rounded-md p-3";
const neutral = `${box} bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200`;

/**
 * Back from the hosted checkout's "Back" link (?canceled=<id>): says what actually happened to that payment. The page
 * only reads; a checkout still open is canceled by the person's explicit click (POST …/cancel), which may also find
 * that it was paid after all.
 */
export function LeftCheckoutNote({ teamSlug, payment, canPay }: { teamSlug: string; payment: Shown; canPay: boolean }) {
  const [shown, setShown] = useState(payment);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function cancel() {
    setBusy(true);
    setError(null);
    const r = await sendJson<{ payment: Shown }>(`/api/teams/${encodeURIComponent(teamSlug)}/top-ups/${encodeURIComponent(shown.id)}/cancel`, {});
    setBusy(false);
    if (r.ok) setShown(r.data.payment);
    else setError(r.error.message);
  }

  switch (shown.status) {
    case "succeeded":
    case "partially_refunded":
    case "refunded":
    case "disputed":
      return (
        <p role="status" data-testid="checkout-note" className={`${box} bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100`}>
          This payment went through: {formatCredits(BigInt(shown.totalCredits))} credits were added to your balance. See it in the payment history below.
        </p>
      );
    case "canceled":
    case "expired":
      return <p role="status" data-testid="checkout-note" className={neutral}>Checkout canceled. Nothing was charged.</p>;
    case "failed":
      return (
        <p role="status" data-testid="checkout-note" className={neutral}>
          {shown.failureMessage ?? "The payment did not go through."} Nothing was charged.
        </p>
      );
    case "pending":
      return (
        <div role="status" data-testid="checkout-note" className={neutral}>
          <p>You left checkout before it finished. If you did not pay, cancel it so it can no longer be paid; if you did, canceling finds the payment and credits it.</p>
          {canPay && (
            <button type="button" onClick={() => void cancel()} disabled={busy} className="mt-2 rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900">
              {busy ? "Canceling…" : "Cancel this checkout"}
            </button>
          )}
          {error && <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-300">{error}</p>}
        </div>
      );
  }
}
