"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { cancelSubscriptionRoute as cancelSubscriptionRouteContract } from "@/app/api/teams/[team]/subscription/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { day } from "./format";
import type { SubscriptionView } from "./view";
import { endpoint } from "@/lib/edge/endpoint";

const cancelSubscriptionRoute = endpoint<typeof cancelSubscriptionRouteContract>("DELETE /api/teams/:team/subscription");

/** Cancelling keeps the paid plan to the end of the period; the dialog says until when and what comes after. */
export function CancelDialog({
  teamSlug,
  view,
  onClose,
  onCancelled,
}: {
  teamSlug: string;
  view: SubscriptionView;
  onClose: () => void;
  onCancelled: (periodEnd: Date | null) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [error, setError] = useState<string | null>(null);
  const cancel = useRouteMutation(cancelSubscriptionRoute, { params: { team: teamSlug } });
  useEffect(() => ref.current?.showModal(), []);
  const until = view.periodEnd ? day(view.periodEnd) : "the end of the paid period";

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <h2 id={titleId} className="text-lg font-semibold">
        Cancel the {view.plan.name} subscription?
      </h2>
      <p data-testid="cancel-explanation" className="mt-2">
        You keep {view.plan.name} until {until}, then the team moves to Free. Nothing more is charged, and you can reactivate before then.
      </p>
      {error && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error}
        </p>
      )}
      <div className="mt-6 flex justify-end gap-3">
        <button
          type="button"
          autoFocus
          onClick={() => ref.current?.close()}
          className="rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Keep {view.plan.name}
        </button>
        <button
          type="button"
          disabled={cancel.isPending}
          onClick={() => {
            setError(null);
            cancel.mutate({}, { onSuccess: (r) => onCancelled(r.periodEnd), onError: (e) => setError(e.record.message) });
          }}
          className="rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-600 disabled:opacity-60"
        >
          {cancel.isPending ? "Cancelling…" : "Cancel subscription"}
        </button>
      </div>
    </dialog>
  );
}
