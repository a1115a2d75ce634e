"use client";

import { useId } from "react";
import { useRouteMutation } from "@/components/data/route-hooks";
import type { approveSignInRoute as approveSignInRouteContract } from "@/app/api/admin/sign-ins/[id]/approve/contract";
import type { rejectSignInRoute as rejectSignInRouteContract } from "@/app/api/admin/sign-ins/[id]/reject/contract";
import { endpoint } from "@/lib/edge/endpoint";

const approveSignInRoute = endpoint<typeof approveSignInRouteContract>("POST /api/admin/sign-ins/:id/approve");
const rejectSignInRoute = endpoint<typeof rejectSignInRouteContract>("POST /api/admin/sign-ins/:id/reject");

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

/** Approves or rejects one pending sign-in; the reason is required either way (the person reads it). */
export function SignInDecision({ id, who }: { id: string; who: string }) {
  const uid = useId();
  // No refresh: the decided sign-in stays on screen with its outcome; the next visit lists it under decisions.
  const approve = useRouteMutation(approveSignInRoute, { params: { id }, refresh: false });
  const reject = useRouteMutation(rejectSignInRoute, { params: { id }, refresh: false });
  const done = approve.data ?? reject.data;
  if (done) {
    return (
      <p role="status" className="mt-3 rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800">
        {done.status === "APPROVED" ? `Approved. ${who} can now use Creditdesk.` : `Rejected. ${who} sees your reason.`}
      </p>
    );
  }
  const error = approve.error ?? reject.error;
  const busy = approve.isPending || reject.isPending;
  return (
    <form
      aria-label={`Decide ${who}`}
      noValidate
      className="mt-3 grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const reason = String(f.get("reason") ?? "");
        const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        if (submitter?.value === "reject") reject.mutate({ reason });
        else approve.mutate({ reason });
      }}
    >
      <div>
        <label htmlFor={`${uid}-reason`} className="block text-sm font-medium">
          Reason (required; the person sees it)
        </label>
        <textarea id={`${uid}-reason`} name="reason" rows={2} maxLength={1000} aria-invalid={error?.record.field === "reason"} className={input} />
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.record.message}
        </p>
      )}
      <div className="flex gap-3">
        <button
          name="decision"
          value="approve"
          disabled={busy}
          className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
        >
          Approve
        </button>
        <button
          name="decision"
          value="reject"
          disabled={busy}
          className="rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-600 disabled:opacity-60"
        >
          Reject
        </button>
      </div>
    </form>
  );
}
