"use client";

import { useRouteQuery } from "@/components/data/route-hooks";
import { formatCents, formatCredits } from "@/components/format";
import { PaymentStatusBadge } from "@/components/payment-status-badge";
import type { OutputOf } from "@/lib/edge/contract";
import type { paymentRoute as paymentRouteContract } from "@/app/api/teams/[team]/payments/[id]/contract";
import { endpoint } from "@/lib/edge/endpoint";

const paymentRoute = endpoint<typeof paymentRouteContract>("GET /api/teams/:team/payments/:id");

/** Re-read from Stripe on every few polls, not each one: the webhook normally gets there first. */
const REFRESH_EVERY = 3;
const POLL_MS = 2000;

const pending = (d: OutputOf<typeof paymentRouteContract> | undefined) => d?.payment.status === "pending";

/** The payment's status, followed while it is pending; the page prefetches the first answer (payments/:id). */
export function ReturnClient({ teamSlug, paymentId, stripeDown }: { teamSlug: string; paymentId: string; stripeDown: boolean }) {
  const params = { team: teamSlug, id: paymentId };
  // Two cadences: our own record every poll, and Stripe's (?refresh=1) every few polls, starting from the same answer.
  const ours = useRouteQuery(paymentRoute, { params }, { refetchInterval: (d) => (pending(d) ? POLL_MS : false) });
  const stripes = useRouteQuery(
    paymentRoute,
    { params, query: { refresh: "1" } },
    {
      enabled: pending(ours.data),
      initialData: ours.data,
      refetchInterval: (d) => (pending(d) ? POLL_MS * REFRESH_EVERY : false),
    },
  );
  const data = stripes.dataUpdatedAt > ours.dataUpdatedAt ? stripes.data : ours.data;
  // As before: say so while the latest poll, of either kind, failed.
  const isError = Math.max(ours.errorUpdatedAt, stripes.errorUpdatedAt) > Math.max(ours.dataUpdatedAt, stripes.dataUpdatedAt);
  if (!data) return null;
  const { payment, balance } = data;
  const amount = formatCents(payment.amountCents, payment.currency);
  const credits = formatCredits(payment.totalCredits);

  const heading: Record<string, string> = {
    succeeded: "Payment received",
    pending: "Payment pending",
    failed: "Payment failed",
    expired: "Checkout expired",
    canceled: "Checkout canceled",
    refunded: "Payment refunded",
    partially_refunded: "Payment partially refunded",
    disputed: "Payment disputed",
  };

  return (
    <div>
      <h1 id="page-title" className="text-2xl font-semibold">
        {heading[payment.status] ?? "Top-up"}
      </h1>
      <div role="status" aria-live="polite" className="mt-4 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
        <p className="flex items-center gap-2">
          <PaymentStatusBadge status={payment.status} />
          <span className="text-slate-600 dark:text-slate-400">
            {amount} by {payment.methodLabel}
          </span>
        </p>
        {payment.status === "succeeded" && (
          <p data-testid="result-message" className="mt-3 text-lg">
            <span className="font-semibold">{credits} credits</span> were added to your balance.
          </p>
        )}
        {payment.status === "pending" && (
          <p data-testid="result-message" className="mt-3">
            {payment.methodLabel} confirms this payment later. We will add <span className="font-semibold">{credits} credits</span> as soon as the money
            arrives; this page updates by itself.
            {stripeDown && " (We could not reach Stripe just now; we will keep checking.)"}
          </p>
        )}
        {payment.status === "failed" && (
          <p data-testid="result-message" className="mt-3">
            {payment.failureMessage ?? "The payment did not go through."} No credits were added and nothing was charged. Try again, or choose another payment
            method.
          </p>
        )}
        {(payment.status === "expired" || payment.status === "canceled") && (
          <p data-testid="result-message" className="mt-3">
            This checkout ended without a payment. Nothing was charged.
          </p>
        )}
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">Balance</p>
        <p data-testid="balance" className={`text-3xl font-semibold tabular-nums ${balance < 0n ? "text-red-600 dark:text-red-400" : ""}`}>
          {formatCredits(balance)} <span className="text-base font-normal text-slate-500 dark:text-slate-400">credits</span>
        </p>
        {isError && <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">Could not refresh the status just now; retrying.</p>}
      </div>
    </div>
  );
}
