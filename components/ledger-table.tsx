import { ledgerKindWords, readableDetails } from "@/lib/billing/words";
import { type Column, DataTable, WhenColumnHidden } from "./data-table";
import { formatCents, formatCredits, formatDateTime } from "./format";

export type LedgerRow = {
  id: string;
  createdAt: Date | string;
  kind: string;
  details: string | null;
  amount: bigint;
  /** What the credits are worth in cents at the server's rate, for entries that stand for money (entryCents); else null. */
  amountCents?: bigint | null;
  balanceAfter: bigint;
  /** Usage through a test key (cdk_test_…): shown with a "Test" badge. */
  test?: boolean;
};

const columns: Column<LedgerRow>[] = [
  { header: "Date", priority: 2, className: "whitespace-nowrap", cell: (e) => formatDateTime(e.createdAt) },
  {
    header: "What",
    cell: (e) => (
      <>
        {/* On a phone the date column gives way to the amounts; the date moves under what happened. */}
        <WhenColumnHidden priority={2} className="text-xs text-slate-600 dark:text-slate-400">
          {formatDateTime(e.createdAt)}
        </WhenColumnHidden>
        {ledgerKindWords(e.kind)}
        {e.test && (
          <span
            className="ml-1.5 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100"
            title="Usage through a test key"
          >
            Test
          </span>
        )}
        {e.details && <span className="text-slate-600 dark:text-slate-400"> · {readableDetails(e.details)}</span>}
      </>
    ),
  },
  {
    header: "Credits",
    align: "right",
    className: "tabular-nums",
    cell: (e) => (
      <>
        <span className={e.amount < 0n ? undefined : "text-emerald-700 dark:text-emerald-400"}>
          {e.amount > 0n ? "+" : ""}
          {formatCredits(e.amount)}
        </span>
        {e.amountCents != null && <span className="block text-xs text-slate-600 dark:text-slate-400">{formatCents(e.amountCents)}</span>}
      </>
    ),
  },
  { header: "Balance after", align: "right", className: "tabular-nums", cell: (e) => formatCredits(e.balanceAfter) },
];

/** Ledger entries as a table, newest first: Overview's recent activity and the full History page. */
export function LedgerTable({ rows, caption, rowTestId }: { rows: LedgerRow[]; caption: string; rowTestId: string }) {
  return <DataTable columns={columns} rows={rows} rowKey={(e) => e.id} caption={caption} rowTestId={rowTestId} />;
}
