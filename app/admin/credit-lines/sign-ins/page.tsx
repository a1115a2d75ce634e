import type { Metadata } from "next";
import { type Column, DataTable, EmptyNote } from "@/components/data-table";
import { formatDateTime } from "@/components/format";
import { listSignInReviews, type SignInReview } from "@/lib/accounts/list-sign-ins";
import { adminPage } from "@/lib/edge/page";
import { SignInDecision } from "./sign-in-decision";

export const metadata: Metadata = { title: "Enterprise sign-ins" };

const who = (r: SignInReview) => r.email ?? r.name ?? r.subject ?? r.id;

const decidedColumns: Column<SignInReview>[] = [
  { header: "Person", className: "break-all", cell: who },
  { header: "Decision", cell: (r) => (r.status === "APPROVED" ? "Approved" : "Rejected") },
  { header: "Reason", className: "whitespace-pre-wrap", cell: (r) => r.reason },
  {
    header: "By, when",
    cell: (r) => `${r.reviewer?.email ?? r.reviewer?.name ?? "a former admin"}, ${r.reviewedAt ? formatDateTime(r.reviewedAt) : ""}`,
  },
];

/** Enterprise sign-ins waiting for review, and the latest decisions (the review page's second tab). */
export default async function SignInReviewsPage() {
  const { db } = await adminPage();
  const { pending, decided } = await listSignInReviews({ db });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        Enterprise sign-ins
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">
        People who sign in through the enterprise identity provider for the first time wait here until approved. Until then they see only a page saying their
        sign-in is under review.
      </p>
      <section aria-labelledby="pending-title" className="mt-6">
        <h2 id="pending-title" className="text-lg font-semibold">
          Waiting for review ({pending.length})
        </h2>
        {pending.length === 0 ? (
          <EmptyNote className="mt-3">No sign-ins are waiting.</EmptyNote>
        ) : (
          <ul className="mt-3 space-y-4">
            {pending.map((r) => (
              <li key={r.id} aria-label={who(r)} className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
                <p className="font-medium">{r.name ? `${r.name} (${r.email ?? "no email"})` : who(r)}</p>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
                  <dt>Identity provider subject</dt>
                  <dd className="break-all">{r.subject ?? "—"}</dd>
                  <dt>First signed in</dt>
                  <dd>{formatDateTime(r.createdAt)}</dd>
                </dl>
                <SignInDecision id={r.id} who={who(r)} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="decided-title" className="mt-8">
        <h2 id="decided-title" className="text-lg font-semibold">
          Latest decisions
        </h2>
        <DataTable plain columns={decidedColumns} rows={decided} rowKey={(r) => r.id} className="mt-3" empty="None yet." />
      </section>
    </section>
  );
}
