"use client";

import { useId, useState } from "react";
import type { approveCreditLineRoute as approveCreditLineRouteContract } from "@/app/api/admin/credit-lines/[id]/approve/contract";
import type { confirmCreditLineRoute as confirmCreditLineRouteContract } from "@/app/api/admin/credit-lines/[id]/confirm/contract";
import type { rejectCreditLineRoute as rejectCreditLineRouteContract } from "@/app/api/admin/credit-lines/[id]/reject/contract";
import type { requestInfoCreditLineRoute as requestInfoCreditLineRouteContract } from "@/app/api/admin/credit-lines/[id]/request-info/contract";
import type { manageCreditLineRoute as manageCreditLineRouteContract } from "@/app/api/admin/credit-lines/teams/[teamId]/contract";
import { useRouteMutation } from "@/components/data/route-hooks";
import { endpoint } from "@/lib/edge/endpoint";

const approveCreditLineRoute = endpoint<typeof approveCreditLineRouteContract>("POST /api/admin/credit-lines/:id/approve");
const confirmCreditLineRoute = endpoint<typeof confirmCreditLineRouteContract>("POST /api/admin/credit-lines/:id/confirm");
const rejectCreditLineRoute = endpoint<typeof rejectCreditLineRouteContract>("POST /api/admin/credit-lines/:id/reject");
const requestInfoCreditLineRoute = endpoint<typeof requestInfoCreditLineRouteContract>("POST /api/admin/credit-lines/:id/request-info");
const manageCreditLineRoute = endpoint<typeof manageCreditLineRouteContract>("POST /api/admin/credit-lines/teams/:teamId");

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";
const button = "rounded-md px-3 py-2 text-sm font-medium text-white disabled:opacity-60";

type Status = "SUBMITTED" | "AWAITING_EMAIL" | "INFO_REQUESTED" | "AWAITING_SECOND_APPROVAL" | string;

/** A reviewer's answer to one application; every action needs a reason (the audit trail's "why"). */
export function ReviewActions({ id, status, label, suggestedLimit }: { id: string; status: Status; label: string; suggestedLimit: string }) {
  const uid = useId();
  const [limit, setLimit] = useState(suggestedLimit);
  const [reason, setReason] = useState("");
  const approve = useRouteMutation(approveCreditLineRoute, { params: { id } });
  const confirm = useRouteMutation(confirmCreditLineRoute, { params: { id } });
  const reject = useRouteMutation(rejectCreditLineRoute, { params: { id } });
  const info = useRouteMutation(requestInfoCreditLineRoute, { params: { id } });
  const all = [approve, confirm, reject, info];
  const busy = all.some((m) => m.isPending);
  const error = all.find((m) => m.error)?.error;
  if (!["SUBMITTED", "AWAITING_EMAIL", "INFO_REQUESTED", "AWAITING_SECOND_APPROVAL"].includes(status)) return null;
  return (
    <form aria-label={`Review ${label}`} noValidate className="mt-4 grid gap-3" onSubmit={(e) => e.preventDefault()}>
      {status === "SUBMITTED" && (
        <div>
          <label htmlFor={`${uid}-limit`} className="block text-sm font-medium">
            Limit (USD a month)
          </label>
          <input
            id={`${uid}-limit`}
            value={limit}
            onChange={(e) => setLimit(e.target.value)}
            inputMode="decimal"
            aria-invalid={error?.record.field === "limit"}
            className={input}
          />
        </div>
      )}
      <div>
        <label htmlFor={`${uid}-reason`} className="block text-sm font-medium">
          Reason (required; a question or rejection reason is sent to the applicant)
        </label>
        <textarea
          id={`${uid}-reason`}
          rows={2}
          maxLength={2000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={error?.record.field === "reason"}
          className={input}
        />
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.record.message}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {status === "SUBMITTED" && (
          <button type="button" disabled={busy} onClick={() => approve.mutate({ limit, reason })} className={`${button} bg-emerald-700 hover:bg-emerald-600`}>
            Approve
          </button>
        )}
        {status === "AWAITING_SECOND_APPROVAL" && (
          <button type="button" disabled={busy} onClick={() => confirm.mutate({ reason })} className={`${button} bg-emerald-700 hover:bg-emerald-600`}>
            Confirm approval
          </button>
        )}
        {(status === "SUBMITTED" || status === "AWAITING_SECOND_APPROVAL") && (
          <button type="button" disabled={busy} onClick={() => info.mutate({ reason })} className={`${button} bg-indigo-600 hover:bg-indigo-500`}>
            Request information
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => reject.mutate({ reason })} className={`${button} bg-red-700 hover:bg-red-600`}>
          Reject
        </button>
      </div>
    </form>
  );
}

/**
 * Lower, suspend, resume or close a team's line, with a reason. A line suspended only for an overdue statement resumes
 * when that is paid, so it offers an admin's suspension (which stays until an admin resumes), not resuming.
 */
export function LineActions({ teamId, teamName, suspended, overdueOnly }: { teamId: string; teamName: string; suspended: boolean; overdueOnly: boolean }) {
  const resume = suspended && !overdueOnly;
  const uid = useId();
  const [limit, setLimit] = useState("");
  const [reason, setReason] = useState("");
  const manage = useRouteMutation(manageCreditLineRoute, { params: { teamId } });
  const act = (action: "suspend" | "resume" | "close") => manage.mutate({ action, reason });
  return (
    <form
      aria-label={`Manage the line of ${teamName}`}
      noValidate
      className="mt-4 grid gap-3 border-t border-slate-200 pt-3 dark:border-slate-800"
      onSubmit={(e) => e.preventDefault()}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${uid}-limit`} className="block text-sm font-medium">
            New lower limit (USD a month)
          </label>
          <input id={`${uid}-limit`} value={limit} onChange={(e) => setLimit(e.target.value)} inputMode="decimal" className={input} />
        </div>
        <div>
          <label htmlFor={`${uid}-reason`} className="block text-sm font-medium">
            Reason for the line change
          </label>
          <input
            id={`${uid}-reason`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={manage.error?.record.field === "reason"}
            className={input}
          />
        </div>
      </div>
      {manage.error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {manage.error.record.message}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          disabled={manage.isPending}
          onClick={() => manage.mutate({ action: "lower", limit, reason })}
          className={`${button} bg-slate-700`}
        >
          Lower the line
        </button>
        <button type="button" disabled={manage.isPending} onClick={() => act(resume ? "resume" : "suspend")} className={`${button} bg-amber-700`}>
          {resume ? "Resume drawing" : overdueOnly ? "Suspend drawing (also after payment)" : "Suspend drawing"}
        </button>
        <button type="button" disabled={manage.isPending} onClick={() => act("close")} className={`${button} bg-red-700`}>
          Close the line
        </button>
      </div>
    </form>
  );
}
