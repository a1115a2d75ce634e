"use client";

import Link from "next/link";
import { useId, useState } from "react";
import type { answerCreditLineRoute as answerCreditLineRouteContract } from "@/app/api/teams/[team]/credit-line/[id]/answer/contract";
import type { guaranteeCreditLineRoute as guaranteeCreditLineRouteContract } from "@/app/api/teams/[team]/credit-line/[id]/guarantee/contract";
import type { resendCreditLineEmailRoute as resendCreditLineEmailRouteContract } from "@/app/api/teams/[team]/credit-line/[id]/resend-email/contract";
import type { withdrawCreditLineRoute as withdrawCreditLineRouteContract } from "@/app/api/teams/[team]/credit-line/[id]/withdraw/contract";
import { statementMoneyNote } from "@/components/billing/statement-money-note";
import { useRouteMutation } from "@/components/data/route-hooks";
import type { StatementOutput } from "@/lib/billing/statements/draw-summary-schema";
import { formatCents, formatDateTime, formatDay } from "@/components/format";
import { ApplyForm } from "./apply-form";
import { type Application, type CreditLineData, isOpen, STATUS_TEXT, TYPE_TEXT } from "./words";
import { endpoint } from "@/lib/edge/endpoint";

const answerCreditLineRoute = endpoint<typeof answerCreditLineRouteContract>("POST /api/teams/:team/credit-line/:id/answer");
const guaranteeCreditLineRoute = endpoint<typeof guaranteeCreditLineRouteContract>("POST /api/teams/:team/credit-line/:id/guarantee");
const resendCreditLineEmailRoute = endpoint<typeof resendCreditLineEmailRouteContract>("POST /api/teams/:team/credit-line/:id/resend-email");
const withdrawCreditLineRoute = endpoint<typeof withdrawCreditLineRouteContract>("POST /api/teams/:team/credit-line/:id/withdraw");

/** What the lead's statements will fill in; null shows "—". */
export type StatementFields = {
  nextStatementAt: Date | null;
  past: StatementOutput[];
} | null;

const DEPOSIT_TERMS =
  "The deposit is an ordinary top-up: its credits are on your balance and you can spend them. Closing the line later does not take them back or refund them.";

const box = "mt-6 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";

export function CreditLineClient({
  teamSlug,
  view,
  canApply,
  readOnlyNote,
  statementFields,
}: {
  teamSlug: string;
  view: CreditLineData;
  canApply: boolean;
  readOnlyNote: string;
  statementFields: StatementFields;
}) {
  const { line, application } = view;
  const open = application !== null && isOpen(application.status);
  return (
    <>
      {line.limitCents > 0n && (
        <section aria-labelledby="line-title" className={box}>
          <h2 id="line-title" className="text-lg font-semibold">
            Your line
          </h2>
          {line.suspended && (
            <p role="alert" className="mt-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
              Drawing is suspended: usage beyond your prepaid balance is refused until this is resolved.
            </p>
          )}
          <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <Fact label="Monthly limit" value={formatCents(line.limitCents)} />
            <Fact label="Drawn this cycle" value={formatCents(line.drawnCents)} />
            <Fact label="Available" value={formatCents(line.availableCents)} />
            <Fact label="Next statement" value={statementFields?.nextStatementAt ? formatDay(statementFields.nextStatementAt) : "—"} />
          </dl>
          {statementFields && statementFields.past.length > 0 ? (
            <ul aria-label="Statements" className="mt-3 divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="statements">
              {statementFields.past.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                  <span>
                    {formatDay(s.closesAt)}: {formatCents(s.amountCents)},{" "}
                    {s.paidAt ? `paid ${formatDay(s.paidAt)}` : `unpaid${s.dueAt ? `, due ${formatDay(s.dueAt)}` : ""}`}
                    {statementMoneyNote(s)}
                  </span>
                  {!s.paidAt && s.hostedInvoiceUrl && (
                    <a href={s.hostedInvoiceUrl} className="rounded-md bg-indigo-700 px-3 py-1.5 font-medium text-white hover:bg-indigo-800">
                      Pay {formatCents(s.amountCents)}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">No statements yet.</p>
          )}
        </section>
      )}
      {application && <ApplicationCard teamSlug={teamSlug} app={application} canAct={canApply} />}
      {!canApply ? (
        <p className="mt-6 text-sm text-slate-600 dark:text-slate-400">{readOnlyNote}</p>
      ) : open ? null : (
        <section aria-labelledby="apply-title" className={box}>
          <h2 id="apply-title" className="text-lg font-semibold">
            {line.limitCents > 0n ? "Ask for a higher line" : "Apply for a credit line"}
          </h2>
          {line.limitCents > 0n && view.increase.healthyCycles < view.increase.needed ? (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
              An increase can be reviewed after {view.increase.needed} monthly statements paid on time in a row; your line has {view.increase.healthyCycles} so
              far.
            </p>
          ) : (
            <ApplyForm teamSlug={teamSlug} guaranteeFromCents={view.guaranteeFromCents} currentLimitCents={line.limitCents} draft={view.draft} />
          )}
        </section>
      )}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}

function ApplicationCard({ teamSlug, app, canAct }: { teamSlug: string; app: Application; canAct: boolean }) {
  const uid = useId();
  const params = { team: teamSlug, id: app.id };
  const [message, setMessage] = useState("");
  const answer = useRouteMutation(answerCreditLineRoute, { params }, { onSuccess: () => setMessage("") });
  const withdraw = useRouteMutation(withdrawCreditLineRoute, { params });
  const resend = useRouteMutation(resendCreditLineEmailRoute, { params, refresh: false });
  const deposit = useRouteMutation(
    guaranteeCreditLineRoute,
    { params, refresh: false },
    { onSuccess: (r) => r.checkout.url && window.location.assign(r.checkout.url) },
  );
  const error = answer.error ?? withdraw.error ?? resend.error ?? deposit.error;
  const guaranteeLeft = app.guaranteeCents - app.guaranteePaidCents;
  return (
    <section aria-labelledby="application-title" className={box}>
      <h2 id="application-title" className="text-lg font-semibold">
        {app.kind === "INCREASE" ? "Your increase request" : "Your application"}
      </h2>
      <p role="status" className="mt-2 font-medium">
        {STATUS_TEXT[app.status]}
        {app.status === "APPROVED" && app.approvedLimitCents !== null && ` Your limit is ${formatCents(app.approvedLimitCents)} a month.`}
        {app.status === "REJECTED" && app.reviewReason && ` The reviewer said: ${app.reviewReason}`}
      </p>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
        <dt>Applying as</dt>
        <dd>{TYPE_TEXT[app.applicantType]}</dd>
        <dt>Requested limit</dt>
        <dd className="tabular-nums">{formatCents(app.requestedLimitCents)} a month</dd>
        <dt>Expected usage</dt>
        <dd className="tabular-nums">{formatCents(app.expectedUsageCents)} a month</dd>
        {app.contactEmail && (
          <>
            <dt>Company email</dt>
            <dd>
              {app.contactEmail} {app.contactEmailConfirmedAt ? "(confirmed)" : "(not confirmed yet)"}
            </dd>
          </>
        )}
        {app.submittedAt && (
          <>
            <dt>Sent</dt>
            <dd>{formatDateTime(app.submittedAt)}</dd>
          </>
        )}
      </dl>
      {app.guaranteeCents > 0n && isOpen(app.status) && (
        <div className="mt-4 rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800">
          <p>
            {`A line of this size needs a guarantee deposit of ${formatCents(app.guaranteeCents)} before it can be approved `}
            {`(${formatCents(app.guaranteePaidCents)} paid). ${DEPOSIT_TERMS}`}
          </p>
          {canAct && guaranteeLeft > 0n && (
            <button
              type="button"
              onClick={() => deposit.mutate({ ui: "hosted" })}
              disabled={deposit.isPending}
              className="mt-2 font-medium text-indigo-700 underline dark:text-indigo-300"
            >
              Pay the deposit through Checkout
            </button>
          )}
        </div>
      )}
      {app.messages.length > 0 && (
        <ol aria-label="Messages" className="mt-4 space-y-2">
          {app.messages.map((m) => (
            <li key={m.id} className={`rounded-md p-3 text-sm ${m.fromReviewer ? "bg-indigo-50 dark:bg-indigo-950" : "bg-slate-50 dark:bg-slate-800"}`}>
              <p className="text-xs text-slate-600 dark:text-slate-400">
                {m.fromReviewer ? "Reviewer" : "You"} · {formatDateTime(m.createdAt)}
              </p>
              <p className="mt-1 whitespace-pre-wrap">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canAct && app.status === "INFO_REQUESTED" && (
        <form
          aria-label="Answer the reviewer"
          noValidate
          className="mt-4"
          onSubmit={(e) => {
            e.preventDefault();
            answer.mutate({ message });
          }}
        >
          <label htmlFor={`${uid}-answer`} className="block text-sm font-medium">
            Your answer
          </label>
          <textarea
            id={`${uid}-answer`}
            rows={3}
            maxLength={2000}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
          />
          <button
            disabled={answer.isPending}
            className="mt-2 rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
          >
            Send answer
          </button>
        </form>
      )}
      {canAct && isOpen(app.status) && (
        <div className="mt-4 flex flex-wrap gap-4 text-sm">
          {app.status === "AWAITING_EMAIL" && (
            <button
              type="button"
              onClick={() => resend.mutate({})}
              disabled={resend.isPending}
              className="font-medium text-indigo-700 underline dark:text-indigo-300"
            >
              {resend.isSuccess ? "New link sent" : "Email a new confirmation link"}
            </button>
          )}
          <button
            type="button"
            onClick={() => withdraw.mutate({})}
            disabled={withdraw.isPending}
            className="font-medium text-red-700 underline dark:text-red-400"
          >
            Withdraw the application
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.record.message}
        </p>
      )}
      {app.status === "APPROVED" || app.status === "REJECTED" ? null : (
        <p className="mt-3 text-xs text-slate-500 dark:text-slate-400">
          Prefer no review at all?{" "}
          <Link href={`/t/${teamSlug}/top-up`} className="underline">
            Top up
          </Link>{" "}
          and spend your prepaid balance.
        </p>
      )}
    </section>
  );
}
