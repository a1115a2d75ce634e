import type { InvoiceView } from "@/lib/billing/invoices/invoice-view";
import { listInvoices } from "@/lib/billing/invoices/list-invoices";
import { route } from "@/lib/edge/route";
import { v1InvoicesRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const shape = (i: InvoiceView) => ({
  invoice_id: i.stripeInvoiceId ?? i.id,
  number: i.number,
  source: i.source,
  amount_usd_cents: i.amountCents,
  amount_due_usd_cents: i.amountDueCents ?? (i.status === "paid" ? 0n : i.amountCents),
  amount_paid_usd_cents: i.amountPaidCents ?? (i.status === "paid" ? i.amountCents : 0n),
  currency: i.currency,
  // listInvoices leaves drafts out.
  status: i.status as Exclude<InvoiceView["status"], "draft">,
  period: i.periodStart.toISOString().slice(0, 7),
  period_start: i.periodStart.toISOString(),
  period_end: i.periodEnd.toISOString(),
  paid_at: i.paidAt?.toISOString() ?? null,
  stripe_invoice_url: i.hostedUrl,
  invoice_pdf_url: i.pdfUrl,
});

export const GET = route(v1InvoicesRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor, query }) => {
  const page = await listInvoices({ db, teamId: actor.teamId, limit: query.limit, cursor: query.cursor ?? null });
  return { invoices: page.invoices.map(shape), has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
});
