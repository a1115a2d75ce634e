"use client";

import Link from "next/link";
import type { overviewRoute as overviewRouteContract } from "@/app/api/teams/[team]/overview/contract";
import { useRouteQuery } from "@/components/data/route-hooks";
import { formatCents, formatCount, formatCredits, formatDateTime, formatDay as day } from "@/components/format";
import { LedgerTable } from "@/components/ledger-table";
import { UsageCharts } from "./usage-charts";
import type { OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";

const overviewRoute = endpoint<typeof overviewRouteContract>("GET /api/teams/:team/overview");

type Overview = OutputOf<typeof overviewRouteContract>;

/** Poll this often while a payment is settling, and for this long after returning from one (?paid=1). */
const POLL_MS = 3000;
const AFTER_PAYMENT_MS = 30_000;

const utcTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** The Overview's figures, prefetched by the page (same core read as the route) and kept fresh: Refresh, and polling. */
export function OverviewClient(props: { teamSlug: string; renderedAt: number; canPay: boolean; afterPayment: boolean }) {
  // renderedAt: when the server rendered the page (the return from a payment), in ms.
  const { teamSlug, renderedAt, canPay, afterPayment } = props;
  const { data, dataUpdatedAt, refetch, isFetching, isError } = useRouteQuery(
    overviewRoute,
    { params: { team: teamSlug } },
    { refetchInterval: (d) => ((d?.pendingPayments ?? 0) > 0 || (afterPayment && Date.now() - renderedAt < AFTER_PAYMENT_MS) ? POLL_MS : false) },
  );
  if (!data) {
    return isError ? (
      <p role="alert" className="mt-6 text-sm text-red-700 dark:text-red-400">
        Could not load the figures just now. Reload the page to try again.
      </p>
    ) : (
      <p className="mt-6 h-72 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-label="Loading figures" />
    );
  }
  const o = data;
  const c = o.cycle;
  const remaining = c.remaining;
  const base = `/t/${teamSlug}`;

  return (
    <div className="mt-6 space-y-8">
      {o.lowBalance.low && (
        <div
          role="alert"
          data-testid="low-balance"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <p className="font-medium">Low balance</p>
          <p className="mt-1 text-sm">
            {o.lowBalance.reason}{" "}
            <Link href={`${base}/top-up`} className="font-medium underline underline-offset-2">
              Top up credits
            </Link>
            {o.plan.canBuyCredits && canPay && (
              <>
                {" "}
                or{" "}
                <Link href={`${base}/buy-credit`} className="font-medium underline underline-offset-2">
                  buy with the saved card
                </Link>
              </>
            )}
            .
          </p>
        </div>
      )}
      {o.autoTopUp?.disabledReason && !o.autoTopUp.enabled && (
        <p role="note" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/40 dark:text-red-100">
          Auto top-up was turned off: {o.autoTopUp.disabledReason}{" "}
          <Link href={`${base}/buy-credit#auto-top-up`} className="font-medium underline underline-offset-2">
            Review auto top-up
          </Link>
        </p>
      )}

      <section aria-labelledby="usage-panel-title">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="usage-panel-title" className="text-lg font-semibold">
              Credit usage
            </h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              This cycle: {day(c.start)} – {day(new Date(c.end.getTime() - 1))} (UTC){c.source === "month" ? ", the calendar month" : ""}
            </p>
          </div>
          <div className="flex items-center gap-3">
            <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="updated-at">
              {isFetching ? "Updating…" : `Updated ${utcTime(dataUpdatedAt)} UTC`}
            </p>
            <button
              type="button"
              onClick={() => void refetch()}
              disabled={isFetching}
              className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              Refresh
            </button>
          </div>
        </div>
        {isError && (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            Could not refresh just now; showing the last figures.
          </p>
        )}
        <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Figure label="Balance" testId="balance" value={o.balance} cents={o.balanceCents} tone={o.balance < 0n ? "bad" : undefined} />
          <Figure label="Total" testId="cycle-total" value={c.total} />
          <Figure label="Used" testId="cycle-used" value={c.used} />
          <Figure label="Remaining" testId="cycle-remaining" value={remaining} tone={remaining < 0n ? "bad" : "good"} />
        </dl>
        <details className="mt-3 text-sm text-slate-600 dark:text-slate-400">
          <summary className="cursor-pointer">What makes up Total</summary>
          <dl className="mt-2 grid max-w-md grid-cols-2 gap-x-4 gap-y-1">
            <dt>Carried over</dt>
            <dd className="text-right tabular-nums">{formatCredits(c.opening)}</dd>
            <dt>Plan allocation</dt>
            <dd className="text-right tabular-nums">{formatCredits(c.plan)}</dd>
            <dt>Purchased</dt>
            <dd className="text-right tabular-nums">{formatCredits(c.purchased)}</dd>
            <dt>Granted (trial, coupons, bonuses)</dt>
            <dd className="text-right tabular-nums">{formatCredits(c.granted)}</dd>
            <dt>Expired, refunded or corrected</dt>
            <dd className="text-right tabular-nums">{c.removed > 0n ? `-${formatCredits(c.removed)}` : "0"}</dd>
          </dl>
        </details>
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Plan">
          <p className="text-lg font-semibold" data-testid="plan-name">
            {o.plan.name}
          </p>
          {o.plan.renewsAt ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {o.plan.cancelAtPeriodEnd ? "Ends" : "Renews"} {day(o.plan.renewsAt)}
              {o.plan.monthlyCredits !== null ? ` · ${formatCredits(o.plan.monthlyCredits)} credits a month` : ""}
            </p>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {o.plan.monthlyCredits !== null ? `${formatCredits(o.plan.monthlyCredits)} credits a month. ` : ""}
              <Link href={`${base}/subscription`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                Upgrade
              </Link>{" "}
              to buy credits with a saved card.
            </p>
          )}
          {o.forecast.avgDailyCredits > 0n && (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400" data-testid="forecast">
              About {formatCredits(o.forecast.avgDailyCredits)} credits a day over the last week
              {o.forecast.daysLeft !== null ? `; the balance lasts about ${formatCount(o.forecast.daysLeft)} day${o.forecast.daysLeft === 1 ? "" : "s"}` : ""}.
            </p>
          )}
          {o.nextExpiry && (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
              {formatCredits(o.nextExpiry.credits)} credits expire {formatDateTime(o.nextExpiry.at)}.
            </p>
          )}
        </Panel>
        <Panel title="Credit line">
          {o.creditLimit > 0n ? (
            <>
              <Progress
                label="Credit line used"
                value={o.drawn}
                max={o.creditLimit}
                text={`${formatCredits(o.drawn)} of ${formatCredits(o.creditLimit)} credits used`}
              />
              {o.draw && (
                <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
                  Next statement {formatDateTime(o.draw.nextStatementAt)}
                  {o.draw.open.length > 0 && (
                    <>
                      {" · "}
                      <Link href={`${base}/credit-line`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                        {o.draw.open.length} unpaid
                      </Link>
                    </>
                  )}
                </p>
              )}
            </>
          ) : o.draw?.kind === "OVERAGE" ? (
            <>
              <Progress
                label="Overage used"
                value={o.drawn}
                max={o.draw.overageLimitCredits}
                text={`${formatCredits(o.draw.unbilledCredits)} credits beyond your credits this cycle: ${formatCents(o.draw.unbilledCents)} at $2.00 per 1M, billed ${formatDateTime(o.draw.nextStatementAt)}`}
              />
              {o.draw.open.length > 0 && (
                <p className="mt-2 text-sm text-amber-900 dark:text-amber-200">
                  {o.draw.open.length} statement{o.draw.open.length === 1 ? "" : "s"} unpaid.{" "}
                  <Link href={`${base}/subscription`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    Pay now
                  </Link>
                </p>
              )}
            </>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">
              No credit line.{" "}
              {o.draw ? (
                <>
                  <Link href={`${base}/credit-line`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                    Apply for one
                  </Link>{" "}
                  to keep working when prepaid credits run out.
                </>
              ) : (
                // Without billing:read (no draw facts) the Credit line page refuses; the team's owner or billing member applies.
                "A team owner or billing member can apply for one."
              )}
            </p>
          )}
        </Panel>
        <Panel title="Budget">
          {o.budget === undefined ? (
            <p data-testid="budget-hidden" className="text-sm text-slate-600 dark:text-slate-400">
              Your role cannot see the budget. Ask an owner, an admin or a billing member.
            </p>
          ) : o.budget ? (
            <>
              <Progress
                label="Budget spent this month"
                value={o.budget.spendCredits}
                max={o.budget.capCredits}
                marks={o.budget.thresholds}
                text={`${formatCents(o.budget.spendCents)} of ${formatCents(o.budget.capCents)} (${o.budget.percent}%) in ${o.budget.month}${o.budget.hardCap ? ", hard cap" : ""}`}
              />
              <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
                Alerts at {o.budget.thresholds.join("%, ")}%.{" "}
                {o.budget.alertsSent.length > 0 ? `Sent this month: ${o.budget.alertsSent.join("%, ")}%.` : "None sent this month."}
              </p>
            </>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">No budget cap. A budget caps monthly spending and alerts at 50, 80 and 100%.</p>
          )}
          {o.budget !== undefined && (
            <p className="mt-2 text-sm">
              <Link href={`${base}/settings/budget`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                {!canPay ? "See the budget" : o.budget ? "Change the budget" : "Set a budget"}
              </Link>
            </p>
          )}
        </Panel>
      </div>

      <section aria-labelledby="charts-title">
        <h2 id="charts-title" className="text-lg font-semibold">
          Usage this cycle
        </h2>
        {o.usage.operations.length === 0 ? (
          <p
            className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400"
            data-testid="usage-empty"
          >
            No usage yet this cycle. Calls recorded with <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">POST /api/v1/usage</code> appear here
            within seconds.
          </p>
        ) : (
          <>
            <UsageCharts days={o.usage.days} operations={o.usage.operations} />
            <TopOperations operations={o.usage.operations} />
          </>
        )}
      </section>

      <section aria-labelledby="recent-title">
        <div className="flex items-baseline justify-between">
          <h2 id="recent-title" className="text-lg font-semibold">
            Recent activity
          </h2>
          <Link href={`${base}/overview/history`} className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Full history →
          </Link>
        </div>
        {o.recent.length === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
            Nothing yet. Top-ups, usage and grants will be listed here.
          </p>
        ) : (
          <div className="mt-3">
            <LedgerTable
              caption="The latest ledger entries, newest first"
              rowTestId="recent-row"
              rows={o.recent.map((e) => ({ ...e, details: e.operation ?? e.description }))}
            />
          </div>
        )}
      </section>
    </div>
  );
}

function Figure({ label, value, cents, testId, tone }: { label: string; value: bigint; cents?: bigint; testId: string; tone?: "good" | "bad" }) {
  const color = tone === "good" ? "text-emerald-700 dark:text-emerald-400" : tone === "bad" ? "text-red-600 dark:text-red-400" : "";
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-sm text-slate-600 dark:text-slate-400">{label}</dt>
      <dd data-testid={testId} className={`mt-1 text-3xl font-semibold tabular-nums ${color}`}>
        {formatCredits(value)} <span className="text-base font-normal text-slate-500 dark:text-slate-400">credits</span>
      </dd>
      {cents !== undefined && (
        <dd data-testid={`${testId}-usd`} className="mt-1 text-sm tabular-nums text-slate-600 dark:text-slate-400">
          worth {formatCents(cents)}
        </dd>
      )}
    </div>
  );
}

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900" aria-label={title}>
      <h3 className="text-sm font-medium text-slate-600 dark:text-slate-400">{title}</h3>
      <div className="mt-2">{children}</div>
    </section>
  );
}

function Progress({ label, value, max, text, marks = [] }: { label: string; value: bigint; max: bigint; text: string; marks?: number[] }) {
  const pct = max > 0n ? Math.min(100, Number((value * 1000n) / max) / 10) : 0;
  const color = pct >= 100 ? "bg-red-600" : pct >= 80 ? "bg-amber-500" : "bg-indigo-600";
  return (
    <div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
        className="relative h-3 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className={`h-full ${color}`} style={{ width: `${pct}%` }} />
        {marks.map((m) => (
          <span key={m} aria-hidden="true" className="absolute top-0 h-full w-px bg-slate-500/70" style={{ left: `${Math.min(m, 99.7)}%` }} />
        ))}
      </div>
      <p className="mt-2 text-sm tabular-nums">{text}</p>
    </div>
  );
}

function TopOperations({ operations }: { operations: Overview["usage"]["operations"] }) {
  const total = operations.reduce((s, o) => s + o.credits, 0n);
  return (
    <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" data-testid="top-operations">
        <caption className="px-4 pt-3 text-left font-medium">Top operations this cycle</caption>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Operation
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Units
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Calls
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Credits
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {operations.slice(0, 10).map((o) => (
            <tr key={o.operation} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <th scope="row" className="px-4 py-2 font-normal">
                {o.operation}
              </th>
              <td className="px-4 py-2 text-right tabular-nums">{formatCredits(o.quantity)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatCredits(o.events)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{formatCredits(o.credits)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{total > 0n ? `${Number((o.credits * 1000n) / total) / 10}%` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
