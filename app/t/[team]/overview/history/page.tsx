import type { Metadata } from "next";
import Link from "next/link";
import { formatCredits } from "@/components/format";
import { LedgerTable } from "@/components/ledger-table";
import { can } from "@/lib/auth/permissions";
import { isBillingError } from "@/lib/billing/errors";
import { entryCents } from "@/lib/billing/money";
import { type HistoryFilter, readHistory } from "@/lib/billing/ledger/read-history";
import { teamPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "History" };
export const dynamic = "force-dynamic";

// Which ledger kinds each filter shows is the core's (HISTORY_FILTERS); the labels are the page's.
const FILTERS: { id: HistoryFilter; label: string }[] = [
  { id: "all", label: "All" },
  { id: "purchases", label: "Top-ups and purchases" },
  { id: "usage", label: "Usage" },
  { id: "grants", label: "Grants and coupons" },
  { id: "other", label: "Refunds, expiry, corrections" },
];

/** The team's whole ledger, newest first, 50 at a time (keyset pages, so deep pages cost the same as the first). */
export default async function HistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, db } = await teamPage((await params).team);
  const q = await searchParams;
  const filter = FILTERS.find((f) => f.id === q.type) ?? FILTERS[0]!;
  const cursor = typeof q.cursor === "string" ? q.cursor : null;
  const base = `/t/${team.slug}/overview/history`;
  let page: Awaited<ReturnType<typeof readHistory>> | null = null;
  try {
    page = await readHistory({ db, actor, filter: filter.id, cursor, limit: 50 });
  } catch (e) {
    if (!isBillingError(e)) throw e;
  }
  return (
    <section aria-labelledby="page-title" className="max-w-5xl">
      <p className="text-sm">
        <Link href={`/t/${team.slug}/overview`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          ← Overview
        </Link>
      </p>
      <h1 id="page-title" className="mt-2 text-2xl font-semibold">
        History
      </h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        Every change to {team.name}&apos;s credits, newest first.
        {can(actor, "billing:read") && (
          <>
            {" "}
            For expense reports,{" "}
            <Link href={`/t/${team.slug}/invoices#export`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              export a date range as CSV
            </Link>
            .
          </>
        )}
      </p>
      <nav aria-label="Filter history" className="mt-4 flex flex-wrap gap-2 text-sm">
        {FILTERS.map((f) => (
          <Link
            key={f.id}
            href={f.id === "all" ? base : `${base}?type=${f.id}`}
            aria-current={f.id === filter.id ? "page" : undefined}
            className={`rounded-full border px-3 py-1 ${f.id === filter.id ? "border-indigo-600 bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200" : "border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800"}`}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      {!page ? (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          That page link is not valid.{" "}
          <Link href={base} className="underline">
            Start from the newest entries
          </Link>
          .
        </p>
      ) : page.entries.length === 0 ? (
        <p className="mt-4 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">Nothing here yet.</p>
      ) : (
        <div className="mt-4">
          <LedgerTable
            caption="Ledger entries, newest first"
            rowTestId="history-row"
            rows={page.entries.map((e) => ({
              ...e,
              amountCents: entryCents(e),
              details:
                [e.operation && `${e.operation}${e.quantity ? ` × ${formatCredits(e.quantity)}` : ""}`, e.description].filter(Boolean).join(" · ") || null,
            }))}
          />
        </div>
      )}
      <nav aria-label="History pages" className="mt-3 flex justify-between text-sm">
        {cursor ? (
          <Link href={filter.id === "all" ? base : `${base}?type=${filter.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {page?.nextCursor && (
          <Link
            href={`${base}?${new URLSearchParams({ ...(filter.id === "all" ? {} : { type: filter.id }), cursor: page.nextCursor })}`}
            className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Older →
          </Link>
        )}
      </nav>
    </section>
  );
}
