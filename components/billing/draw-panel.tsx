import { formatCents, formatCredits, formatDay as day } from "@/components/format";
import type { DrawSummaryOutput } from "@/lib/billing/statements/draw-summary-schema";
import { statementMoneyNote } from "./statement-money-note";

/**
 * What the team may spend below zero and what it will be billed for it, shown before the bill comes: the overage (or
 * credit line) drawn this cycle and its cost, when the cycle closes, statements billed and not yet paid with their
 * payment page, and a suspension. Renders nothing for a team that cannot draw and has nothing open.
 */
export function DrawPanel({ draw, headingLevel = 2 }: { draw: DrawSummaryOutput; headingLevel?: 2 | 3 }) {
  if (draw.kind === null && draw.open.length === 0 && draw.unbilledCredits === 0n) return null;
  const H = headingLevel === 2 ? "h2" : "h3";
  const Sub = headingLevel === 2 ? "h3" : "h4";
  const overage = draw.kind !== "CREDIT_LINE";
  const limit = overage ? draw.overageLimitCredits : draw.creditLimitCredits;
  return (
    <section
      aria-labelledby="draw-title"
      data-testid="draw-panel"
      className="mt-6 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <H id="draw-title" className="text-lg font-semibold">
        {overage ? "Usage beyond your credits" : "Credit line"}
      </H>
      {draw.suspended && (
        <p role="alert" className="mt-2 rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-200">
          Spending below zero is suspended until the overdue statement below is paid. Credits you hold can still be used.
        </p>
      )}
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        {overage
          ? `Once your plan and purchased credits are spent, usage continues on up to ${formatCredits(limit)} credits, billed at $2.00 per 1M at the end of each cycle.`
          : `Your team may spend up to ${formatCredits(limit)} credits below zero; what is drawn is billed at the end of each cycle.`}
      </p>
      <dl className="mt-4 grid gap-x-8 gap-y-3 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-600 dark:text-slate-400">Drawn this cycle</dt>
          <dd data-testid="draw-unbilled" className="font-medium tabular-nums">
            {formatCredits(draw.unbilledCredits)} credits
          </dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">To be billed</dt>
          <dd data-testid="draw-cost" className="font-medium tabular-nums">
            {formatCents(draw.unbilledCents)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">Cycle closes</dt>
          <dd className="font-medium">{day(draw.nextStatementAt)}</dd>
        </div>
      </dl>
      {draw.open.length > 0 && (
        <div className="mt-4">
          <Sub className="text-sm font-semibold">Unpaid statements</Sub>
          <ul className="mt-2 divide-y divide-slate-200 text-sm dark:divide-slate-800" data-testid="open-statements">
            {draw.open.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  {formatCents(s.amountCents)} for {formatCredits(s.drawnCredits)} credits up to {day(s.closesAt)}
                  {s.dueAt ? `, due ${day(s.dueAt)}` : ""}
                  {s.status === "BILLING" ? " (being billed)" : ""}
                  {statementMoneyNote(s)}
                </span>
                {s.hostedInvoiceUrl && (
                  <a
                    href={s.hostedInvoiceUrl}
                    className="rounded-md bg-indigo-700 px-3 py-1.5 font-medium text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2"
                  >
                    Pay {formatCents(s.amountCents)}
                  </a>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
