"use client";

import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { formatCents, formatCredits } from "@/components/format";
import { PaymentStatusBadge } from "@/components/payment-status-badge";
import type { PaymentView } from "@/lib/billing/payments/payment-view";

type Snapshot = { payment: PaymentView; balance: string };

/** Re-read from Stripe on every few polls, not each one: the webhook normally gets there first. */
const REFRESH_EVERY = 3;
const POLL_MS = 2000;

export function ReturnClient({ teamSlug, initial, stripeDown }: { teamSlug: string; initial: Snapshot; stripeDown: boolean }) {
  const polls = useRef(0);
  const { data, isError } = useQuery({
    queryKey: ["payment", teamSlug, initial.payment.id],
    queryFn: async (): Promise<Snapshot> => {
      polls.current += 1;
      const refresh = polls.current % REFRESH_EVERY === 0 ? "?refresh=1" : "";
      const res = await fetch(`/api/teams/${teamSlug}/payments/${initial.payment.id}${refresh}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`status ${res.status}`);
      return (await res.json()) as Snapshot;
    },
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.payment.status === "pending" ? POLL_MS : false),
  });
  const { payment, balance } = data;
  const amount = formatCents(BigInt(payment.amountCents), payment.currency);
  const credits = formatCredits(BigInt(payment.totalCredits));

  const heading: Record<string, string> = {
    succeeded: "Payment received",
    pending: "Payment pending",
    failed: "Payment failed",
    expired: "Checkout expired",
    canceled: "Checkout canceled",
    refunded: "Payment refunded",
    partially_refunded: "Payment partly refunded",
    disputed: "Payment disputed",
  };

  return (
    <div>
      <h1 id="page-title" className="text-2xl font-semibold">{heading[payment.status] ?? "Top-up"}</h1>
      <div role="status" aria-live="polite" className="mt-4 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
        <p className="flex items-center gap-2">
          <PaymentStatusBadge status={payment.status} />
          <span className="text-slate-600 dark:text-slate-400">{amount} by {payment.methodLabel}</span>
        </p>
        {payment.status === "succeeded" && (
          <p data-testid="result-message" className="mt-3 text-lg">
            <span className="font-semibold">{credits} credits</span> were added to your balance.
          </p>
        )}
        {payment.status === "pending" && (
          <p data-testid="result-message" className="mt-3">
            {payment.methodLabel} confirms this payment later. We will add <span className="font-semibold">{credits} credits</span> as soon as the money arrives; this page updates by itself.
            {stripeDown && " (We could not reach Stripe just now; we will keep checking.)"}
          </p>
        )}
        {payment.status === "failed" && (
          <p data-testid="result-message" className="mt-3">
            {payment.failureMessage ?? "The payment did not go through."} No credits were added and nothing was charged. Try again, or choose another payment method.
          </p>
        )}
        {(payment.status === "expired" || payment.status === "canceled") && <p data-testid="result-message" className="mt-3">This checkout ended without a payment. Nothing was charged.</p>}
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">Balance</p>
        <p data-testid="balance" className={`text-3xl font-semibold tabular-nums ${BigInt(balance) < 0n ? "text-red-600" : ""}`}>
          {formatCredits(BigInt(balance))} <span className="text-base font-normal text-slate-500">credits</span>
        </p>
        {isError && <p className="mt-2 text-sm text-amber-800 dark:text-amber-300">Could not refresh the status just now; retrying.</p>}
      </div>
    </div>
  );
}
