import { useId } from "react";
import { formatCents, formatCount, formatCredits, formatDay } from "@/components/format";
import type { LimitSuggestion, ReviewFacts, StatementStanding, SuggestionRule } from "@/lib/billing/credit-lines/review-facts-schema";

// Presentational only (no state, no data access): a server or client component may render it with facts a route
// decoded through reviewFactsSchema. Every warning is said in words; color only repeats it.

const warn = "font-medium text-red-800 dark:text-red-300";
const muted = "text-slate-600 dark:text-slate-400";

const standingText: Record<StatementStanding, { label: string; bad: boolean }> = {
  PAID_ON_TIME: { label: "Paid on time", bad: false },
  PAID_LATE: { label: "Paid late", bad: true },
  UNPAID_PAST_DUE: { label: "Unpaid, past due", bad: true },
  UNPAID_NOT_DUE: { label: "Unpaid, not yet due", bad: false },
  VOID: { label: "Void", bad: false },
};

const ruleText: Record<SuggestionRule, string> = {
  FIRST_LIMIT: "First-approval limit",
  INCREASE_BOUND: "Increase bound",
  UNPAID_PAST_DUE: "Unpaid statement",
  LATE_PAYMENTS: "Late payments",
};

const monthName = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
const count = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

function Paid({ t }: { t: ReviewFacts["topUps"]["lifetime"] }) {
  if (t.count === 0) return <>None</>;
  return (
    <>
      {formatCents(t.cents)} in {count(t.count, "payment")}
      {t.refundedCents > 0n && (
        <>
          {" "}
          · {formatCents(t.refundedCents)} refunded · {formatCents(t.netCents)} net
        </>
      )}
    </>
  );
}

/** The facts a platform admin reviews a credit-line application with, and the suggested limit with its reason. */
export function ReviewFactsPanel({ facts, suggestion }: { facts: ReviewFacts; suggestion?: LimitSuggestion | null }) {
  const id = useId();
  const f = facts;
  const st = f.statements;
  const drawn = f.balance.cents < 0n;
  return (
    <section aria-labelledby={`${id}-title`} data-testid="review-facts" className="text-sm">
      <h3 id={`${id}-title`} className="sr-only">
        Review facts
      </h3>
      {suggestion && (
        <div data-testid="suggested-limit" className="mb-3 rounded-md border border-indigo-200 bg-indigo-50 p-3 dark:border-indigo-900 dark:bg-indigo-950/50">
          <p className="font-medium text-slate-900 dark:text-slate-100">
            Suggested limit: <span className="tabular-nums">{formatCents(suggestion.limitCents)}</span>/month{" "}
            <span className={`font-normal ${muted}`}>({ruleText[suggestion.rule]})</span>
          </p>
          <p className="mt-1 text-slate-700 dark:text-slate-300">{suggestion.reason}</p>
        </div>
      )}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-slate-800 dark:text-slate-200">
        <dt className={muted}>Account age</dt>
        <dd>
          {count(f.account.ageDays, "day")} (since {formatDay(f.account.createdAt)})
        </dd>
        <dt className={muted}>Top-ups, lifetime</dt>
        <dd className="tabular-nums">
          <Paid t={f.topUps.lifetime} />
        </dd>
        <dt className={muted}>Top-ups since {formatDay(f.topUps.recentSince)}</dt>
        <dd className="tabular-nums">
          <Paid t={f.topUps.recent} />
        </dd>
        <dt className={muted}>Refunds</dt>
        <dd className="tabular-nums">{f.refunds.count === 0 ? "None" : `${count(f.refunds.count, "payment")} refunded, ${formatCents(f.refunds.cents)}`}</dd>
        <dt className={muted}>Disputes</dt>
        <dd className={`tabular-nums ${f.disputes.open + f.disputes.lost > 0 ? warn : ""}`}>
          {f.disputes.count === 0
            ? "None"
            : `${formatCount(f.disputes.count)} (${formatCents(f.disputes.cents)}): ${formatCount(f.disputes.open)} open, ${formatCount(f.disputes.lost)} lost`}
        </dd>
        <dt className={muted}>Failed payments</dt>
        <dd className="tabular-nums">
          {f.failedPayments.count === 0 ? "None" : `${formatCount(f.failedPayments.count)} (${formatCount(f.failedPayments.last90Days)} in the last 90 days)`}
        </dd>
        <dt className={muted}>Balance</dt>
        <dd className="tabular-nums">
          {formatCents(f.balance.cents)} ({formatCredits(f.balance.credits)} credits){drawn && " · drawing on the line"}
        </dd>
        <dt className={muted}>Current limit</dt>
        <dd className="tabular-nums">
          {f.creditLine.limitCents === 0n ? "No credit line" : `${formatCents(f.creditLine.limitCents)}/month`}
          {f.creditLine.drawSuspendedAt && <span className={warn}> · suspended since {formatDay(f.creditLine.drawSuspendedAt)}</span>}
        </dd>
        <dt className={muted}>Statements</dt>
        <dd className="tabular-nums">
          {st.total === 0 ? (
            "None yet"
          ) : (
            <>
              {formatCount(st.total)}: {formatCount(st.paidOnTime)} paid on time,{" "}
              <span className={st.paidLate > 0 ? warn : ""}>{formatCount(st.paidLate)} late</span>,{" "}
              <span className={st.unpaidPastDue > 0 ? warn : ""}>
                {formatCount(st.unpaidPastDue)} unpaid past due{st.unpaidPastDue > 0 && ` (${formatCents(st.unpaidPastDueCents)})`}
              </span>
              , {formatCount(st.unpaidNotDue)} not yet due; {formatCount(st.onTimeInARow)} on time in a row
            </>
          )}
        </dd>
      </dl>
      <div className="mt-3 grid gap-3 md:grid-cols-2">
        <div
          role="region"
          aria-labelledby={`${id}-spend`}
          tabIndex={0}
          className="overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          <table className="w-full text-left tabular-nums">
            <caption id={`${id}-spend`} className="mb-1 text-left font-medium text-slate-800 dark:text-slate-200">
              Usage by month (UTC)
            </caption>
            <thead className={muted}>
              <tr>
                <th scope="col" className="pr-3 font-normal">
                  Month
                </th>
                <th scope="col" className="pr-3 text-right font-normal">
                  Credits
                </th>
                <th scope="col" className="text-right font-normal">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {f.monthlySpend.map((m) => (
                <tr key={m.month} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="pr-3 font-normal">
                    {monthName(m.month)}
                    {m.partial && <span className={muted}> (so far)</span>}
                  </th>
                  <td className="pr-3 text-right">{formatCredits(m.credits)}</td>
                  <td className="text-right">{formatCents(m.cents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div
          role="region"
          aria-labelledby={`${id}-statements`}
          tabIndex={0}
          className="overflow-x-auto rounded focus-visible:outline-2 focus-visible:outline-indigo-500"
        >
          <table className="w-full text-left tabular-nums">
            <caption id={`${id}-statements`} className="mb-1 text-left font-medium text-slate-800 dark:text-slate-200">
              Latest statements
            </caption>
            {st.recent.length === 0 ? (
              <tbody>
                <tr>
                  <td className={muted}>No credit-line statements yet.</td>
                </tr>
              </tbody>
            ) : (
              <>
                <thead className={muted}>
                  <tr>
                    <th scope="col" className="pr-3 font-normal">
                      Closed
                    </th>
                    <th scope="col" className="pr-3 text-right font-normal">
                      Amount
                    </th>
                    <th scope="col" className="pr-3 font-normal">
                      Due
                    </th>
                    <th scope="col" className="font-normal">
                      Standing
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {st.recent.map((s) => (
                    <tr key={s.id} className="border-t border-slate-100 dark:border-slate-800">
                      <th scope="row" className="pr-3 font-normal">
                        {formatDay(s.closesAt)}
                      </th>
                      <td className="pr-3 text-right">{formatCents(s.amountCents)}</td>
                      <td className="pr-3">{s.dueAt ? formatDay(s.dueAt) : "On issue"}</td>
                      <td className={standingText[s.standing].bad ? warn : ""}>
                        {standingText[s.standing].label}
                        {s.paidAt && <span className={muted}> {formatDay(s.paidAt)}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </>
            )}
          </table>
        </div>
      </div>
    </section>
  );
}
