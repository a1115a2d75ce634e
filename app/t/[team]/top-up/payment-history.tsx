import Link from "next/link";
import { creditBreakdownText, formatCents, formatCredits, formatDateTime } from "@/components/format";
import { GenerateInvoiceButton } from "@/components/generate-invoice-button";
import { PaymentStatusBadge } from "@/components/payment-status-badge";
import type { PaymentPage } from "@/lib/billing/payments/list-payments";
import { paymentBroughtNothing } from "@/lib/billing/words";

/** Payment history table: newest first, paged on the server with ?page=. */
export function PaymentHistory({
  page,
  basePath,
  invoiceFor,
}: {
  page: PaymentPage;
  basePath: string;
  /** team slug when the viewer may generate invoices */ invoiceFor?: string;
}) {
  return (
    <section aria-labelledby="history-title" className="mt-10">
      <h2 id="history-title" className="text-lg font-semibold">
        Payment history
      </h2>
      {page.total === 0 ? (
        <p className="mt-3 rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
          No payments yet. Top-ups, Buy Credit purchases and auto top-ups will appear here.
        </p>
      ) : (
        <>
          <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">
                Payments, newest first, page {page.page} of {page.pageCount}
              </caption>
              <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Date
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    How
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    Amount
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    Credits
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  {invoiceFor && (
                    <th scope="col" className="px-4 py-2 font-medium">
                      Invoice
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {page.items.map((p) => (
                  <tr key={p.id} data-testid="payment-row" className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                    <td className="whitespace-nowrap px-4 py-2">{formatDateTime(p.createdAt)}</td>
                    <td className="px-4 py-2">
                      {p.kindLabel}
                      <span className="block text-xs text-slate-600 dark:text-slate-400">{p.methodLabel}</span>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{formatCents(p.amountCents, p.currency)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      {paymentBroughtNothing(p.status) ? (
                        // A payment that failed, expired or was canceled added nothing; its quote is not credits.
                        <>
                          <span aria-hidden="true">—</span>
                          <span className="sr-only">No credits</span>
                        </>
                      ) : (
                        <>
                          {formatCredits(p.totalCredits)}
                          {p.status === "pending" && <span className="block text-xs text-slate-600 dark:text-slate-400">when paid</span>}
                          <CreditBreakdown c={{ bought: p.credits, bonus: p.bonusCredits, coupon: p.couponCredits }} />
                        </>
                      )}
                    </td>
                    <td className="px-4 py-2">
                      <PaymentStatusBadge status={p.status} />
                      {p.failureMessage && (p.status === "failed" || p.status === "pending") && (
                        <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
                          {p.status === "pending" ? `Last attempt: ${p.failureMessage}` : p.failureMessage}
                        </span>
                      )}
                    </td>
                    {invoiceFor && (
                      <td className="px-4 py-2">{p.status === "succeeded" ? <GenerateInvoiceButton teamSlug={invoiceFor} paymentId={p.id} /> : null}</td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.pageCount > 1 && (
            <nav aria-label="Payment history pages" className="mt-3 flex items-center justify-between text-sm">
              {page.page > 1 ? (
                <Link href={`${basePath}?page=${page.page - 1}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  ← Newer
                </Link>
              ) : (
                <span />
              )}
              <span className="text-slate-600 dark:text-slate-400">
                Page {page.page} of {page.pageCount}
              </span>
              {page.page < page.pageCount ? (
                <Link href={`${basePath}?page=${page.page + 1}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  Older →
                </Link>
              ) : (
                <span />
              )}
            </nav>
          )}
        </>
      )}
    </section>
  );
}

function CreditBreakdown({ c }: { c: { bought: bigint; bonus: bigint; coupon: bigint } }) {
  const text = creditBreakdownText(c);
  return text ? <span className="block text-xs text-slate-500 dark:text-slate-400">{text}</span> : null;
}
