"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { previewPlanChangeRoute as previewPlanChangeRouteContract } from "@/app/api/teams/[team]/subscription/preview/contract";
import type { subscribeRoute as subscribeRouteContract } from "@/app/api/teams/[team]/subscription/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { formatCents, formatCredits } from "@/components/format";
import type { OutputOf } from "@/lib/edge/contract";
import { cardLabel, day } from "./format";
import type { Cycle } from "./plans-grid";
import type { SubscriptionView } from "./view";
import { endpoint } from "@/lib/edge/endpoint";

const previewPlanChangeRoute = endpoint<typeof previewPlanChangeRouteContract>("POST /api/teams/:team/subscription/preview");
const subscribeRoute = endpoint<typeof subscribeRouteContract>("POST /api/teams/:team/subscription");

type Preview = OutputOf<typeof previewPlanChangeRouteContract>;
export type Subscribed = OutputOf<typeof subscribeRouteContract>;
export type Target = { planId: string; planName: string; cycle: Cycle };

type Props = {
  teamSlug: string;
  view: SubscriptionView;
  target: Target;
  /** Whether the checkout can be embedded (Stripe.js loaded); asked at confirm time so a slow load still counts. */
  embeddable: () => Promise<boolean>;
  onClose: () => void;
  onSubscribed: (answer: Subscribed) => void;
};

const billed = (t: Target) => `billed ${t.cycle === "annual" ? "annually" : "monthly"}`;

function title(kind: Preview["kind"], t: Target, view: SubscriptionView): string {
  const price = (id: string) => view.plans.find((p) => p.id === id)?.monthlyPriceCents ?? 0n;
  switch (kind) {
    case "new":
      return `Subscribe to ${t.planName}, ${billed(t)}?`;
    case "upgrade":
      return `Upgrade to ${t.planName}, ${billed(t)}?`;
    case "downgrade":
      return `Downgrade to ${t.planName}?`;
    case "cycle_change":
      if (t.planId === view.plan.id) return `Switch ${t.planName} to ${t.cycle} billing?`;
      return `${price(t.planId) > price(view.plan.id) ? "Upgrade" : "Change"} to ${t.planName}, ${billed(t)}?`;
    case "reactivate":
      return `Reactivate ${t.planName}?`;
    default:
      return `You are already on ${t.planName}`;
  }
}

/**
 * Confirming a plan change: first Stripe's own preview of what it costs (due now, next renewal, lines), then the change
 * with the preview's proration date, so the charge is the amount shown. One idempotency key per dialog: a retried
 * Confirm never subscribes twice.
 */
export function PlanChangeDialog({ teamSlug, view, target, embeddable, onClose, onSubscribed }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const idempotencyKey = useRef(crypto.randomUUID());
  const [error, setError] = useState<string | null>(null);
  const params = { team: teamSlug };
  const preview = useRouteMutation(previewPlanChangeRoute, { params, refresh: false });
  const subscribe = useRouteMutation(subscribeRoute, { params, refresh: false });
  const { mutate: runPreview } = preview;

  useEffect(() => {
    ref.current?.showModal();
    runPreview({ plan: target.planId, billingCycle: target.cycle }, { onError: (e) => setError(e.record.message) });
  }, [runPreview, target.planId, target.cycle]);

  const p = preview.data;
  const confirmRef = useRef<HTMLButtonElement>(null);
  // The preview arrives after the dialog opened: move focus to the action it enables.
  useEffect(() => {
    if (p) confirmRef.current?.focus();
  }, [p]);
  const busy = subscribe.isPending || subscribe.isSuccess;

  async function confirm() {
    if (!p) return;
    setError(null);
    const ui = (await embeddable()) ? "embedded" : "hosted";
    subscribe.mutate(
      {
        plan: target.planId,
        billingCycle: target.cycle,
        idempotencyKey: idempotencyKey.current,
        ui,
        ...(p.prorationDate !== null ? { prorationDate: p.prorationDate } : {}),
      },
      { onSuccess: onSubscribed, onError: (e) => setError(e.record.message) },
    );
  }

  const pm = view.paymentMethod;
  const chargeText = !p
    ? null
    : p.amountDueNowCents <= 0n
      ? "Nothing is charged now."
      : pm
        ? `Your card ${cardLabel(pm)} will be charged ${formatCents(p.amountDueNowCents)} now.`
        : `You pay ${formatCents(p.amountDueNowCents)} now on Stripe's secure checkout; the plan starts once Stripe confirms the payment.`;

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-busy={preview.isPending}
      onClose={onClose}
      className="m-auto w-full max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        {p ? title(p.kind, target, view) : `Change to ${target.planName}`}
      </h2>
      {preview.isPending && (
        <p role="status" className="mt-4 text-slate-600 dark:text-slate-400">
          Asking Stripe what this costs…
        </p>
      )}
      {p && (
        <div data-testid="plan-preview" className="mt-4 space-y-4">
          <dl className="grid grid-cols-2 gap-3">
            <div className="rounded-md bg-slate-50 p-3 dark:bg-slate-800">
              <dt className="text-sm text-slate-600 dark:text-slate-400">Due now</dt>
              <dd data-testid="due-now" className="text-xl font-semibold tabular-nums">
                {formatCents(p.amountDueNowCents)}
              </dd>
            </div>
            <div className="rounded-md bg-slate-50 p-3 dark:bg-slate-800">
              <dt className="text-sm text-slate-600 dark:text-slate-400">Next renewal</dt>
              <dd data-testid="next-renewal" className="text-xl font-semibold tabular-nums">
                {p.nextRenewal ? formatCents(p.nextRenewal.amountCents) : "—"}
              </dd>
              {p.nextRenewal && <dd className="text-sm text-slate-600 dark:text-slate-400">on {day(p.nextRenewal.date)}</dd>}
            </div>
          </dl>
          {p.lines.length > 0 && (
            <table className="w-full text-sm">
              <caption className="sr-only">What the amount due now is made of</caption>
              <tbody>
                {p.lines.map((l, i) => (
                  <tr key={i} className="border-t border-slate-200 dark:border-slate-700">
                    <td className="py-1.5 pr-3">{l.description}</td>
                    <td className="py-1.5 text-right tabular-nums">{formatCents(l.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p data-testid="preview-explanation">{p.explanation}</p>
          {p.creditsGrantedNow > 0n && <p className="text-sm">{formatCredits(p.creditsGrantedNow)} plan credits are added once the payment succeeds.</p>}
          {p.kind !== "unchanged" && (
            <p data-testid="charge-sentence" className="font-medium">
              {chargeText}
            </p>
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error}
        </p>
      )}
      <div className="mt-6 flex justify-end gap-3">
        <button
          type="button"
          onClick={() => ref.current?.close()}
          className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {p?.kind === "unchanged" ? "Close" : "Cancel"}
        </button>
        {p && p.kind !== "unchanged" && (
          <button
            ref={confirmRef}
            type="button"
            onClick={() => void confirm()}
            disabled={busy}
            className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            {busy ? "Confirming…" : "Confirm"}
          </button>
        )}
      </div>
    </dialog>
  );
}
