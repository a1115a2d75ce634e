import type { Metadata } from "next";
import Link from "next/link";
import { countPendingApplications } from "@/lib/billing/credit-lines/count-pending-applications";
import { adminPage } from "@/lib/edge/page";
import { countOpenEventFailures } from "@/lib/stripe/event-failures";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const { db } = await adminPage();
  const [pending, failedEvents] = await Promise.all([countPendingApplications({ db }), countOpenEventFailures({ db })]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        Platform admin
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">
        Credit-line applications waiting for review: <span className="font-semibold tabular-nums">{pending}</span>
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
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
        <p className="font-medium text-slate-800 dark:text-slate-200">Coming soon</p>
        <p className="mt-1">The review queue with repayment history, approve or reject with a reason, and the audit trail.</p>
      </div>
    </section>
  );
}
