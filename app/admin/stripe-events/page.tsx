import type { Metadata } from "next";
import Link from "next/link";
import { AdminPageHeader } from "@/components/admin/admin-page-header";
import { formatDateTime } from "@/components/format";
import { adminPage } from "@/lib/edge/page";
import { listEventFailures, MAX_EVENT_ATTEMPTS } from "@/lib/stripe/event-failures";
import { FailureActions } from "./failure-actions";

export const metadata: Metadata = { title: "Failed Stripe events" };
export const dynamic = "force-dynamic";

/** Signed Stripe events that could not be applied: why, how often, and a way to apply them once the cause is fixed. */
export default async function StripeEventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { db } = await adminPage();
  const all = (await searchParams).show === "all";
  const failures = await listEventFailures({ db, includeResolved: all });
  return (
    <section aria-labelledby="page-title">
      <AdminPageHeader title="Failed Stripe events">
        Events Stripe signed that Creditdesk could not apply. Malformed ones are answered at once so Stripe stops resending them; others are retried by Stripe
        until {MAX_EVENT_ATTEMPTS} attempts have failed. Replay one once its cause is fixed: it is applied exactly once.
      </AdminPageHeader>
      <p className="mt-3 text-sm">
        {all ? (
          <Link href="/admin/stripe-events" className="text-indigo-700 hover:underline dark:text-indigo-300">
            Show only unresolved
          </Link>
        ) : (
          <Link href="/admin/stripe-events?show=all" className="text-indigo-700 hover:underline dark:text-indigo-300">
            Show resolved too
          </Link>
        )}
      </p>
      {failures.length === 0 ? (
        <p className="mt-4 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
          {all ? "No Stripe event has ever failed." : "Nothing to review: every Stripe event was applied."}
        </p>
      ) : (
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Failed Stripe events</caption>
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Event
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Error
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Attempts
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last failed
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  State
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={f.id} data-testid="failed-event" className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                  <td className="px-4 py-2">
                    <span className="font-medium">{f.type ?? "unknown type"}</span>
                    <span className="block break-all font-mono text-xs text-slate-500 dark:text-slate-400">{f.id}</span>
                  </td>
                  <td className="max-w-md px-4 py-2 break-words">{f.error}</td>
                  <td className="px-4 py-2 tabular-nums">{f.attempts}</td>
                  <td className="px-4 py-2">{formatDateTime(f.lastFailedAt)}</td>
                  <td className="px-4 py-2">
                    {f.resolvedAt
                      ? `Resolved (${f.resolution ?? "resolved"})`
                      : f.permanent
                        ? "Malformed"
                        : f.parkedAt
                          ? "Gave up retrying"
                          : "Stripe is retrying"}
                  </td>
                  <td className="px-4 py-2 text-right">{!f.resolvedAt && <FailureActions id={f.id} type={f.type} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
