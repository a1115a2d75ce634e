import type { Metadata } from "next";
import Link from "next/link";
import { type Column, DataTable } from "@/components/data-table";
import { creditBreakdownText, formatCents, formatCredits, formatDateTime } from "@/components/format";
import { GenerateInvoiceButton } from "@/components/generate-invoice-button";
import { can } from "@/lib/auth/permissions";
import { readBillingDetails } from "@/lib/billing/billing-details/read-billing-details";
import { isBillingError } from "@/lib/billing/errors";
import type { InvoiceView } from "@/lib/billing/invoices/invoice-view";
import { readInvoices, readUninvoicedPayments } from "@/lib/billing/invoices/read-invoices";
import { teamPage } from "@/lib/edge/page";
import { BillingDetailsForm } from "./billing-details-form";
import { ExportForm } from "./export-form";

export const metadata: Metadata = { title: "Invoices" };
export const dynamic = "force-dynamic";

const STATUS: Record<InvoiceView["status"], { label: string; className: string }> = {
  paid: { label: "Paid", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200" },
  open: { label: "Open", className: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200" },
  void: { label: "Void", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  uncollectible: { label: "Uncollectible", className: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" },
  draft: { label: "Draft", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
};

const period = (i: InvoiceView) => {
  const d = (at: Date) => at.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
  return i.periodStart.toISOString().slice(0, 10) === i.periodEnd.toISOString().slice(0, 10) ? d(i.periodStart) : `${d(i.periodStart)} – ${d(i.periodEnd)}`;
};

const invoiceColumns = (teamSlug: string): Column<InvoiceView>[] => [
  { header: "Number", rowHeader: true, className: "whitespace-nowrap font-medium", cell: (i) => i.number },
  { header: "Period", className: "whitespace-nowrap", cell: period },
  { header: "For", cell: (i) => i.purpose },
  { header: "Amount", align: "right", className: "tabular-nums", cell: (i) => formatCents(i.amountCents, i.currency) },
  {
    header: "Credits",
    align: "right",
    className: "tabular-nums",
    testId: "invoice-credits",
    cell: (i) => (
      <>
        {i.credits ? formatCredits(i.credits.total) : "—"}
        {i.credits && creditBreakdownText(i.credits) && (
          <span className="block text-xs text-slate-500 dark:text-slate-400">{creditBreakdownText(i.credits)}</span>
        )}
      </>
    ),
  },
  {
    header: "Status",
    cell: (i) => <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATUS[i.status].className}`}>{STATUS[i.status].label}</span>,
  },
  {
    header: "View and download",
    hideHeader: true,
    align: "right",
    className: "whitespace-nowrap",
    cell: (i) => (
      <>
        {i.hostedUrl && (
          <a href={i.hostedUrl} className="mr-3 font-medium text-indigo-700 hover:underline dark:text-indigo-300" rel="noopener noreferrer" target="_blank">
            View<span className="sr-only"> invoice {i.number} on Stripe (opens in a new tab)</span>
          </a>
        )}
        {/* Stripe's own PDF for its invoices; Creditdesk draws the PDF of the ones it generates. */}
        <a
          href={i.pdfUrl ?? `/api/teams/${teamSlug}/invoices/${i.id}/pdf`}
          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
          aria-label={`Download invoice ${i.number} as PDF`}
          {...(i.pdfUrl ? { rel: "noopener noreferrer", target: "_blank" } : {})}
        >
          PDF
        </a>
      </>
    ),
  },
];

export default async function InvoicesPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, role, db } = await teamPage((await params).team);
  const q = await searchParams;
  const canRead = can(actor, "billing:read");
  const canWrite = can(actor, "billing:write");
  const cursor = typeof q.cursor === "string" ? q.cursor : null;
  const [page, uninvoiced, details] = await Promise.all([
    canRead ? readInvoices({ db, actor, cursor, limit: 25 }).catch((e: unknown) => (isBillingError(e) ? null : Promise.reject(e))) : null,
    canRead ? readUninvoicedPayments({ db, actor, limit: 10 }) : [],
    // The same permission-checked read as GET /api/teams/:team/billing-details: a member gets nothing.
    canRead ? readBillingDetails({ db, actor }) : null,
  ]);
  const base = `/t/${team.slug}/invoices`;
  const now = new Date();
  const monthStart = `${now.toISOString().slice(0, 8)}01`;

  return (
    <section aria-labelledby="page-title" className="max-w-5xl space-y-10">
      <div>
        <h1 id="page-title" className="text-2xl font-semibold">
          Invoices
        </h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">
          Subscription invoices from Stripe and invoices for {team.name}&apos;s top-ups and purchases, with PDF downloads.
        </p>
      </div>

      {!canRead ? (
        <p
          role="note"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          Your role in this team ({role.toLowerCase()}) cannot see invoices or export the ledger. Ask an owner, an admin or a billing member.
        </p>
      ) : (
        <>
          <section aria-labelledby="list-title">
            <h2 id="list-title" className="text-lg font-semibold">
              All invoices
            </h2>
            <DataTable
              columns={invoiceColumns(team.slug)}
              rows={page?.invoices ?? []}
              rowKey={(i) => i.id}
              caption="Invoices, newest first"
              rowTestId="invoice-row"
              className="mt-3"
              empty="No invoices yet. Subscription invoices appear here when Stripe issues them; for a top-up, generate one below."
              emptyTestId="invoices-empty"
            />
            <nav aria-label="Invoice pages" className="mt-3 flex justify-between text-sm">
              {cursor ? (
                <Link href={base} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
                  ← Newest
                </Link>
              ) : (
                <span />
              )}
              {page?.nextCursor && (
                <Link
                  href={`${base}?cursor=${encodeURIComponent(page.nextCursor)}`}
                  className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  Older →
                </Link>
              )}
            </nav>
          </section>

          {uninvoiced.length > 0 && (
            <section aria-labelledby="uninvoiced-title">
              <h2 id="uninvoiced-title" className="text-lg font-semibold">
                Payments without an invoice
              </h2>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                Top-ups and purchases are not invoiced by Stripe. Generate an invoice for any of them; each payment gets one.
              </p>
              <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
                {uninvoiced.map((p) => (
                  <li key={p.id} data-testid="uninvoiced-row" className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
                    <span>
                      {formatDateTime(p.createdAt)} · {formatCents(BigInt(p.amountCents), p.currency)} · {formatCredits(BigInt(p.totalCredits))} credits
                      {creditBreakdownText({ bought: p.credits, bonus: p.bonusCredits, coupon: p.couponCredits }) &&
                        ` (${creditBreakdownText({ bought: p.credits, bonus: p.bonusCredits, coupon: p.couponCredits })})`}{" "}
                      · {p.kindLabel} by {p.methodLabel}
                    </span>
                    {canWrite ? (
                      <GenerateInvoiceButton teamSlug={team.slug} paymentId={p.id} />
                    ) : (
                      <span className="text-slate-500 dark:text-slate-400">Ask a billing member to generate it.</span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}

          <section id="export" aria-labelledby="export-title">
            <h2 id="export-title" className="text-lg font-semibold">
              Export the ledger
            </h2>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
              Every credit movement in a date range (UTC) as CSV, for expense reports: top-ups with the money paid, usage, grants and refunds, with totals in
              the last row.
            </p>
            <ExportForm teamSlug={team.slug} defaultFrom={monthStart} defaultTo={now.toISOString().slice(0, 10)} />
          </section>
        </>
      )}

      {details && <BillingDetailsForm teamSlug={team.slug} canEdit={canWrite} initial={details} />}
    </section>
  );
}
