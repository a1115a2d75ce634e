import { ledgerKindWords, readableDetails } from "@/lib/billing/words";
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
};

/** Ledger entries as a table, newest first: Overview's recent activity and the full History page. */
export function LedgerTable({ rows, caption, rowTestId }: { rows: LedgerRow[]; caption: string; rowTestId: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="hidden px-4 py-2 font-medium sm:table-cell">
              Date
            </th>
            <th scope="col" className="px-3 py-2 font-medium sm:px-4">
              What
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium sm:px-4">
              Credits
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium sm:px-4">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id} data-testid={rowTestId} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <td className="hidden whitespace-nowrap px-4 py-2 sm:table-cell">{formatDateTime(e.createdAt)}</td>
              <td className="px-3 py-2 sm:px-4">
                {/* On a phone the date column gives way to the amounts; the date moves under what happened. */}
                <span className="block text-xs text-slate-600 sm:hidden dark:text-slate-400">{formatDateTime(e.createdAt)}</span>
                {ledgerKindWords(e.kind)}
                {e.details && <span className="text-slate-600 dark:text-slate-400"> · {readableDetails(e.details)}</span>}
              </td>
              <td className={`px-3 py-2 text-right tabular-nums sm:px-4 ${e.amount < 0n ? "" : "text-emerald-700 dark:text-emerald-400"}`}>
                {e.amount > 0n ? "+" : ""}
                {formatCredits(e.amount)}
                {e.amountCents != null && <span className="block text-xs text-slate-600 dark:text-slate-400">{formatCents(e.amountCents)}</span>}
              </td>
              <td className="px-3 py-2 text-right tabular-nums sm:px-4">{formatCredits(e.balanceAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
