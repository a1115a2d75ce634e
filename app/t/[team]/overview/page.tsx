import type { Metadata } from "next";
import Link from "next/link";
import { formatCredits } from "@/components/format";
import { requireTeam } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, role } = await requireTeam((await params).team);
  const negative = team.balance < 0n;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">Overview</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        {team.name} · your role: {role.toLowerCase()}
      </p>
      <dl className="mt-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <div className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
          <dt className="text-sm text-slate-600 dark:text-slate-400">Balance</dt>
          <dd data-testid="balance" className={`mt-1 text-3xl font-semibold tabular-nums ${negative ? "text-red-600" : ""}`}>
            {formatCredits(team.balance)} <span className="text-base font-normal text-slate-500">credits</span>
          </dd>
        </div>
        {team.creditLimitCredits > 0n && (
          <div className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
            <dt className="text-sm text-slate-600 dark:text-slate-400">Credit line</dt>
            <dd className="mt-1 text-3xl font-semibold tabular-nums">{formatCredits(team.creditLimitCredits)}</dd>
          </div>
        )}
      </dl>
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
        <p className="font-medium text-slate-800 dark:text-slate-200">Coming soon</p>
        <p className="mt-1">Total / Used / Remaining for the cycle, usage charts, budget progress and recent ledger entries.</p>
      </div>
      <p className="mt-6">
        <Link href={`/t/${team.slug}/top-up`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">Top up credits →</Link>
      </p>
    </section>
  );
}
