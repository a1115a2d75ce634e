import Link from "next/link";
import { type Column, DataTable, EmptyNote } from "@/components/data-table";
import { creditBreakdownText, formatCents, formatCredits, formatDateTime } from "@/components/format";
import { GenerateInvoiceButton } from "@/components/generate-invoice-button";
import { PaymentStatusBadge } from "@/components/payment-status-badge";
import type { PaymentPage } from "@/lib/billing/payments/list-payments";
import { paymentBroughtNothing } from "@/lib/billing/words";

type Payment = PaymentPage["items"][number];

const columns: Column<Payment>[] = [
  { header: "Date", className: "whitespace-nowrap", cell: (p) => formatDateTime(p.createdAt) },
  {
    header: "How",
    cell: (p) => (
      <>
        {p.kindLabel}
        <span className="block text-xs text-slate-600 dark:text-slate-400">{p.methodLabel}</span>
      </>
    ),
  },
  { header: "Amount", align: "right", className: "tabular-nums", cell: (p) => formatCents(p.amountCents, p.currency) },
  {
    header: "Credits",
    align: "right",
    className: "tabular-nums",
    cell: (p) =>
      paymentBroughtNothing(p.status) ? (
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
      ),
  },
  {
    header: "Status",
    cell: (p) => (
      <>
        <PaymentStatusBadge status={p.status} />
        {p.failureMessage && (p.status === "failed" || p.status === "pending") && (
          <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
            {p.status === "pending" ? `Last attempt: ${p.failureMessage}` : p.failureMessage}
          </span>
        )}
      </>
    ),
  },
];

const invoiceColumn = (teamSlug: string): Column<Payment> => ({
  header: "Invoice",
  cell: (p) => (p.status === "succeeded" ? <GenerateInvoiceButton teamSlug={teamSlug} paymentId={p.id} /> : null),
});

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
        <EmptyNote className="mt-3">No payments yet. Top-ups, Buy Credit purchases and auto top-ups will appear here.</EmptyNote>
      ) : (
        <>
          <DataTable
            columns={invoiceFor ? [...columns, invoiceColumn(invoiceFor)] : columns}
            rows={page.items}
            rowKey={(p) => p.id}
            caption={`Payments, newest first, page ${page.page} of ${page.pageCount}`}
            rowTestId="payment-row"
            className="mt-3"
          />
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
