import type { Metadata } from "next";
import Link from "next/link";
import { formatCredits, formatDateTime } from "@/components/format";
import { countPendingAdjustments } from "@/lib/billing/adjustments/count-pending-adjustments";
import { countPendingApplications } from "@/lib/billing/credit-lines/count-pending-applications";
import { listOpenPlanRequests } from "@/lib/billing/plans/list-plan-requests";
import { adminPage } from "@/lib/edge/page";
import { countOpenEventFailures } from "@/lib/stripe/event-failures";
import { PlanRequestActions } from "./plan-request-actions";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const { db } = await adminPage();
  const [pending, failedEvents, planRequests, adjustments] = await Promise.all([
    countPendingApplications({ db }),
    countOpenEventFailures({ db }),
    listOpenPlanRequests({ db }),
    countPendingAdjustments({ db }),
  ]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        Platform admin
      </h1>
      <p className="mt-2">
        <Link href="/admin/customers" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Customers: find a team, adjust credits, refund a payment
          {adjustments > 0 ? ` (${adjustments} ${adjustments === 1 ? "adjustment waits" : "adjustments wait"} for a second admin)` : ""} →
        </Link>
      </p>
      <p className="mt-2">
        <Link href="/admin/credit-lines" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Credit-line applications waiting for review: <span className="font-semibold tabular-nums">{pending}</span> →
        </Link>
      </p>
      <p className="mt-4">
        <Link href="/admin/coupons" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Coupons and promo codes →
        </Link>
      </p>
      <p className="mt-2">
        <Link href="/admin/stripe-events" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Failed Stripe events{failedEvents > 0 ? ` (${failedEvents} to review)` : ""} →
        </Link>
      </p>
      <section aria-labelledby="plan-requests-title" className="mt-8">
        <h2 id="plan-requests-title" className="text-lg font-semibold">
          Enterprise requests
        </h2>
        {planRequests.length === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
            No open requests.
          </p>
        ) : (
          <ul className="mt-3 space-y-4">
            {planRequests.map((r) => (
              <li key={r.id} className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
                <p className="font-medium">
                  {r.company}{" "}
                  <span className="font-normal text-slate-600 dark:text-slate-400">
                    · team {r.team.name} ({r.team.slug})
                  </span>
                </p>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm text-slate-700 dark:text-slate-300">
                  <dt>Requested by</dt>
                  <dd>{requesterText(r.requester)}</dd>
                  <dt>Contact</dt>
                  <dd>{r.contactEmail}</dd>
                  <dt>Expected usage</dt>
                  <dd className="tabular-nums">{formatCredits(r.expectedMonthlyCredits)} credits a month</dd>
                  <dt>Sent</dt>
                  <dd>{formatDateTime(r.createdAt)}</dd>
                </dl>
                {r.message && <p className="mt-2 whitespace-pre-wrap text-sm">{r.message}</p>}
                <PlanRequestActions id={r.id} company={r.company} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}

const requesterText = (r: { name: string | null; email: string | null } | null) =>
  !r ? "—" : r.name ? `${r.name} <${r.email ?? "no email"}>` : (r.email ?? "—");
