import type { Metadata } from "next";
import Link from "next/link";
import { AdminPageHeader } from "@/components/admin/admin-page-header";
import { type Column, DataTable } from "@/components/data-table";
import { formatDateTime } from "@/components/format";
import { adminPage } from "@/lib/edge/page";
import { listEventFailures, MAX_EVENT_ATTEMPTS } from "@/lib/stripe/event-failures";
import { FailureActions } from "./failure-actions";

export const metadata: Metadata = { title: "Failed Stripe events" };
export const dynamic = "force-dynamic";

type Failure = Awaited<ReturnType<typeof listEventFailures>>[number];

const columns: Column<Failure>[] = [
  {
    header: "Event",
    cell: (f) => (
      <>
        <span className="font-medium">{f.type ?? "unknown type"}</span>
        <span className="block break-all font-mono text-xs text-slate-500 dark:text-slate-400">{f.id}</span>
      </>
    ),
  },
  { header: "Error", className: "max-w-md break-words", cell: (f) => f.error },
  { header: "Attempts", className: "tabular-nums", cell: (f) => f.attempts },
  { header: "Last failed", cell: (f) => formatDateTime(f.lastFailedAt) },
  {
    header: "State",
    cell: (f) =>
      f.resolvedAt ? `Resolved (${f.resolution ?? "resolved"})` : f.permanent ? "Malformed" : f.parkedAt ? "Gave up retrying" : "Stripe is retrying",
  },
  { header: "Actions", hideHeader: true, align: "right", cell: (f) => !f.resolvedAt && <FailureActions id={f.id} type={f.type} /> },
];

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
      <DataTable
        columns={columns}
        rows={failures}
        rowKey={(f) => f.id}
        caption="Failed Stripe events"
        rowTestId="failed-event"
        rowClassName="align-top"
        className="mt-4"
        empty={all ? "No Stripe event has ever failed." : "Nothing to review: every Stripe event was applied."}
      />
    </section>
  );
}
