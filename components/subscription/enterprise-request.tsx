"use client";

import { useId, useState } from "react";
import type {
  createPlanRequestRoute as createPlanRequestRouteContract,
  teamPlanRequestRoute as teamPlanRequestRouteContract,
} from "@/app/api/teams/[team]/plan-requests/contract";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import { formatCredits, formatDateTime } from "@/components/format";
import type { OutputOf } from "@/lib/edge/contract";
import { PLAN_REQUEST_LIMITS } from "@/lib/billing/plans/plan-request-limits";
import { endpoint } from "@/lib/edge/endpoint";

const createPlanRequestRoute = endpoint<typeof createPlanRequestRouteContract>("POST /api/teams/:team/plan-requests");
const teamPlanRequestRoute = endpoint<typeof teamPlanRequestRouteContract>("GET /api/teams/:team/plan-requests");

type PlanRequest = NonNullable<OutputOf<typeof teamPlanRequestRouteContract>["request"]>;
type Fields = { company: string; contactEmail: string; expectedMonthlyCredits: string; message: string };
const EMPTY: Fields = { company: "", contactEmail: "", expectedMonthlyCredits: "", message: "" };

const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";

/**
 * The Enterprise card's request: a form for owners and billing members, or the team's open request in its place, or
 * what became of the last one (a custom plan to choose on this page, or a decline with its reason and a new form).
 * `canRequest`: the viewer has billing:write; others are told who can ask.
 */
export function EnterpriseRequest({ team, canRequest, initial }: { team: string; canRequest: boolean; initial?: PlanRequest | null }) {
  if (!canRequest) return <p className="text-sm text-slate-600 dark:text-slate-400">Owners and billing members of this team can ask for Enterprise.</p>;
  return <RequestPanel team={team} initial={initial} />;
}

function RequestPanel({ team, initial }: { team: string; initial?: PlanRequest | null }) {
  const query = useRouteQuery(teamPlanRequestRoute, { params: { team } }, initial === undefined ? {} : { initialData: { request: initial } });
  const [asking, setAsking] = useState(false);
  if (query.isPending) return <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>;
  if (query.isError && !query.data) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-400">
        {query.error.record.message}{" "}
        <button type="button" onClick={() => void query.refetch()} className="text-indigo-700 underline dark:text-indigo-300">
          Try again
        </button>
      </p>
    );
  }
  const request = query.data?.request ?? null;
  if (request?.status === "OPEN") return <OpenRequest request={request} />;
  if (request?.status === "DONE" && !asking) {
    return (
      <div role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
        <p>
          Your custom plan <span className="font-semibold">{request.plan?.name ?? "(removed)"}</span> is ready: choose it on this page.
        </p>
        <button type="button" onClick={() => setAsking(true)} className="mt-2 text-indigo-700 underline dark:text-indigo-300">
          Ask for something else
        </button>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      {request?.status === "DECLINED" && (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          Your last request was declined{request.declineReason ? `: ${request.declineReason}` : "."} You can ask again.
        </p>
      )}
      <RequestForm team={team} onConflict={() => void query.refetch()} />
    </div>
  );
}

function OpenRequest({ request }: { request: PlanRequest }) {
  return (
    <div role="status" className="rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800">
      <p className="font-medium">Request sent. We will contact you at {request.contactEmail}.</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-slate-600 dark:text-slate-400">
        <dt>Company</dt>
        <dd>{request.company}</dd>
        <dt>Expected usage</dt>
        <dd className="tabular-nums">{formatCredits(request.expectedMonthlyCredits)} credits a month</dd>
        <dt>Sent</dt>
        <dd>{formatDateTime(request.createdAt)}</dd>
      </dl>
    </div>
  );
}

function RequestForm({ team, onConflict }: { team: string; onConflict: () => void }) {
  const id = useId();
  const [values, setValues] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = useRouteMutation(
    createPlanRequestRoute,
    { params: { team } },
    {
      onError: (e) => {
        if (e.record.field) setErrors({ [e.record.field]: e.record.message });
        if (e.record.code === "CONFLICT") onConflict();
      },
    },
  );
  const set = (name: keyof Fields) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setValues((v) => ({ ...v, [name]: e.target.value }));
    setErrors(({ [name]: _gone, ...rest }) => rest);
  };
  const field = (name: keyof Fields, label: string, props: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <div>
      <label htmlFor={`${id}-${name}`} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={`${id}-${name}`}
        name={name}
        value={values[name]}
        onChange={set(name)}
        aria-invalid={errors[name] !== undefined}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        className={input}
        {...props}
      />
      {errors[name] && (
        <p id={`${id}-${name}-error`} className="mt-1 text-xs text-red-800 dark:text-red-300">
          {errors[name]}
        </p>
      )}
    </div>
  );
  const general = submit.error && !submit.error.record.field ? submit.error.record.message : null;
  return (
    <form
      aria-label="Request Enterprise"
      noValidate
      className="grid gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        // The checks load with the first send (zod stays off the page until then).
        void import("@/lib/billing/plans/plan-request-input").then(({ planRequestFieldErrors }) => {
          const found = planRequestFieldErrors(values);
          setErrors(found);
          if (Object.keys(found).length === 0) submit.mutate(values);
        });
      }}
    >
      {field("company", "Company", { autoComplete: "organization", maxLength: PLAN_REQUEST_LIMITS.company })}
      {field("contactEmail", "Contact email", { type: "email", autoComplete: "email", maxLength: PLAN_REQUEST_LIMITS.email })}
      {field("expectedMonthlyCredits", "Expected monthly usage (credits)", { inputMode: "numeric", placeholder: "e.g. 500,000,000" })}
      <div>
        <label htmlFor={`${id}-message`} className="block text-sm font-medium">
          Message (optional)
        </label>
        <textarea
          id={`${id}-message`}
          name="message"
          rows={3}
          value={values.message}
          onChange={set("message")}
          maxLength={PLAN_REQUEST_LIMITS.message}
          aria-invalid={errors.message !== undefined}
          aria-describedby={errors.message ? `${id}-message-error` : undefined}
          className={input}
        />
        {errors.message && (
          <p id={`${id}-message-error`} className="mt-1 text-xs text-red-800 dark:text-red-300">
            {errors.message}
          </p>
        )}
      </div>
      {general && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {general}
        </p>
      )}
      <button
        disabled={submit.isPending}
        className="justify-self-start rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        {submit.isPending ? "Sending…" : "Request Enterprise"}
      </button>
    </form>
  );
}
