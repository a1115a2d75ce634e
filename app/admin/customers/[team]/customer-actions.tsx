"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { confirmAdjustmentRoute as confirmAdjustmentRouteContract } from "@/app/api/admin/adjustments/[id]/confirm/contract";
import type { declineAdjustmentRoute as declineAdjustmentRouteContract } from "@/app/api/admin/adjustments/[id]/decline/contract";
import type { adjustCreditsRoute as adjustCreditsRouteContract } from "@/app/api/admin/customers/[teamId]/adjustments/contract";
import type { refundPaymentRoute as refundPaymentRouteContract } from "@/app/api/admin/customers/[teamId]/payments/[paymentId]/refund/contract";
import { formatCents, formatCredits } from "@/components/format";
import { useRouteMutation } from "@/components/data/route-hooks";
import { endpoint } from "@/lib/edge/endpoint";

const confirmAdjustmentRoute = endpoint<typeof confirmAdjustmentRouteContract>("POST /api/admin/adjustments/:id/confirm");
const declineAdjustmentRoute = endpoint<typeof declineAdjustmentRouteContract>("POST /api/admin/adjustments/:id/decline");
const adjustCreditsRoute = endpoint<typeof adjustCreditsRouteContract>("POST /api/admin/customers/:teamId/adjustments");
const refundPaymentRoute = endpoint<typeof refundPaymentRouteContract>("POST /api/admin/customers/:teamId/payments/:paymentId/refund");

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";
const button = "rounded-md px-3 py-2 text-sm font-medium text-white disabled:opacity-60";
const alert = "rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100";
const status = "rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100";

/** One key per filled-in form: a double submit (or a retry after a lost answer) is one change on the server. */
function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `f${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

const signedCredits = (s: string): bigint | null => {
  const t = s.trim().replace(/[,_\s]/g, "");
  return /^[+-]?\d{1,13}$/.test(t) ? BigInt(t.replace(/^\+/, "")) : null;
};

/** The required reason of an adjustment or a refund (at most 500 characters, as the core allows). */
function ReasonField({
  id,
  value,
  onChange,
  invalid,
  small = false,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  invalid: boolean;
  small?: boolean;
}) {
  return (
    <div>
      <label htmlFor={id} className={`block ${small ? "text-xs" : "text-sm"} font-medium`}>
        Reason (required)
      </label>
      <input id={id} value={value} onChange={(e) => onChange(e.target.value)} maxLength={500} aria-invalid={invalid} className={input} />
    </div>
  );
}

/** Add or remove credits with a reason, after a confirmation naming the team and the amount. */
export function AdjustCreditsForm({ teamId, teamName, creditsPerDollar }: { teamId: string; teamName: string; creditsPerDollar: string }) {
  const uid = useId();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(newKey);
  const adjust = useRouteMutation(
    adjustCreditsRoute,
    { params: { teamId } },
    {
      onSuccess: () => {
        setAmount("");
        setReason("");
        setKey(newKey());
      },
    },
  );
  const n = signedCredits(amount);
  const field = adjust.error?.record.field;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const what = n === null ? `${amount} credits` : `${n < 0n ? "remove" : "add"} ${formatCredits(n < 0n ? -n : n)} credits`;
    if (window.confirm(`${what[0]!.toUpperCase()}${what.slice(1)} ${n !== null && n < 0n ? "from" : "to"} ${teamName}? Reason: “${reason.trim()}”.`)) {
      adjust.mutate({ amount, reason, idempotencyKey: key });
    }
  };
  return (
    <form
      aria-label={`Adjust the credits of ${teamName}`}
      noValidate
      onSubmit={submit}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-5 sm:grid-cols-2 dark:border-slate-800 dark:bg-slate-900"
    >
      <div>
        <label htmlFor={`${uid}-amount`} className="block text-sm font-medium">
          Credits (negative to remove)
        </label>
        <input
          id={`${uid}-amount`}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="numeric"
          autoComplete="off"
          aria-invalid={field === "amount"}
          aria-describedby={`${uid}-amount-hint`}
          className={input}
        />
        <p id={`${uid}-amount-hint`} className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {n !== null && n !== 0n
            ? `About ${formatCents((n * 100n) / BigInt(creditsPerDollar))} at the standard rate.`
            : "A whole number, like 50000 or -2500."}
        </p>
      </div>
      <ReasonField id={`${uid}-reason`} value={reason} onChange={setReason} invalid={field === "reason"} />
      <div className="sm:col-span-2">
        {adjust.error && (
          <p role="alert" className={`${alert} mb-3`}>
            {adjust.error.record.message}
          </p>
        )}
        {adjust.data && !adjust.error && (
          <p role="status" className={`${status} mb-3`}>
            {adjust.data.outcome === "applied"
              ? `${adjust.data.amount < 0n ? "Removed" : "Added"} ${formatCredits(adjust.data.amount < 0n ? -adjust.data.amount : adjust.data.amount)} credits.`
              : `Waiting for a second platform admin to confirm ${formatCredits(adjust.data.amount)} credits.`}
          </p>
        )}
        <button disabled={adjust.isPending} className={`${button} bg-indigo-600 hover:bg-indigo-500`}>
          {adjust.isPending ? "Adjusting…" : "Adjust credits"}
        </button>
      </div>
    </form>
  );
}

/** Confirm or decline an adjustment another admin asked for; the one who asked may only withdraw it. */
export function AdjustmentDecision({ id, mine, amount }: { id: string; mine: boolean; amount: string }) {
  const uid = useId();
  const [reason, setReason] = useState("");
  const confirm = useRouteMutation(confirmAdjustmentRoute, { params: { id } });
  const decline = useRouteMutation(declineAdjustmentRoute, { params: { id } });
  const busy = confirm.isPending || decline.isPending;
  const error = confirm.error ?? decline.error;
  const credits = formatCredits(BigInt(amount));
  return (
    <div className="mt-3 grid gap-2">
      {mine && <p className="text-slate-600 dark:text-slate-400">You asked for this, so a different platform admin must confirm it. You can withdraw it.</p>}
      <div className="flex flex-wrap items-end gap-2">
        <div className="min-w-48 flex-1">
          <label htmlFor={`${uid}-reason`} className="block text-sm font-medium">
            Reason to {mine ? "withdraw" : "decline"}
          </label>
          <input
            id={`${uid}-reason`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={decline.error?.record.field === "reason"}
            className={input}
          />
        </div>
        <button type="button" disabled={busy} onClick={() => decline.mutate({ reason })} className={`${button} bg-slate-700 hover:bg-slate-600`}>
          {mine ? "Withdraw" : "Decline"}
        </button>
        {!mine && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Confirm this adjustment of ${credits} credits? The credits move at once.`)) confirm.mutate({});
            }}
            className={`${button} bg-emerald-700 hover:bg-emerald-600`}
          >
            Confirm adjustment
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className={alert}>
          {error.record.message}
        </p>
      )}
    </div>
  );
}

/** Refund all or part of a payment through Stripe, after a confirmation; the credits follow when Stripe reports it. */
export function RefundPayment({
  teamId,
  paymentId,
  currency,
  paid,
  refundable,
}: {
  teamId: string;
  paymentId: string;
  currency: string;
  paid: string;
  refundable: string;
}) {
  const uid = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [key, setKey] = useState(newKey);
  const refund = useRouteMutation(
    refundPaymentRoute,
    { params: { teamId, paymentId } },
    {
      onSuccess: () => {
        setKey(newKey());
        // Stripe's refund webhook takes the credits back a moment later: show it when it has.
        for (const ms of [1500, 4000, 9000]) setTimeout(() => router.refresh(), ms);
      },
    },
  );
  const field = refund.error?.record.field;
  if (!open) {
    return (
      <div className="text-right">
        <button
          type="button"
          onClick={() => setOpen(true)}
          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          aria-label={`Refund the ${paid} payment`}
        >
          Refund…
        </button>
        {refund.data && (
          <p role="status" className="mt-1 text-xs text-emerald-800 dark:text-emerald-300">
            Refund of {formatCents(refund.data.amountCents, refund.data.currency)} sent to Stripe.
          </p>
        )}
      </div>
    );
  }
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const how = amount.trim() === "" ? `the full ${refundable} left` : `${amount.trim()} ${currency.toUpperCase()}`;
    if (window.confirm(`Refund ${how} of this ${paid} payment through Stripe? The customer gets the money back and the credits it bought are taken back.`)) {
      refund.mutate({ amount: amount.trim() === "" ? null : amount, reason, idempotencyKey: key }, { onSuccess: () => setOpen(false) });
    }
  };
  return (
    <form aria-label={`Refund the ${paid} payment`} noValidate onSubmit={submit} className="grid min-w-56 gap-2">
      <div>
        <label htmlFor={`${uid}-amount`} className="block text-xs font-medium">
          Amount ({currency.toUpperCase()}; empty for all {refundable})
        </label>
        <input
          id={`${uid}-amount`}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={field === "amount"}
          className={input}
        />
      </div>
      <ReasonField id={`${uid}-reason`} value={reason} onChange={setReason} invalid={field === "reason"} small />
      {refund.error && (
        <p role="alert" className={alert}>
          {refund.error.record.message}
        </p>
      )}
      <div className="flex gap-2">
        <button disabled={refund.isPending} className={`${button} bg-red-700 hover:bg-red-600`}>
          {refund.isPending ? "Refunding…" : "Refund"}
        </button>
        <button
          type="button"
          onClick={() => setOpen(false)}
          className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:underline dark:text-slate-300"
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
