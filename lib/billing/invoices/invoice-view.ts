import type { Tx } from "../../db/client";
import type { Invoice } from "../../db/generated/client";
import type { BillingDetailsView } from "../billing-details/get-billing-details";
import { creditBreakdownJson, loadPaymentCredits, type PaymentCreditBreakdown } from "../payments/payment-credits";

export type InvoiceLine = { description: string; quantity: number; amountCents: string };
/** The team's billing details as they were when the invoice was issued. */
export type InvoiceBilledTo = { teamName: string } & Omit<BillingDetailsView, "updatedAt">;

export type InvoiceView = {
  id: string;
  number: string;
  source: "stripe" | "creditdesk";
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  amountCents: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  paidAt: string | null;
  createdAt: string;
  hostedUrl: string | null;
  paymentId: string | null;
  stripeInvoiceId: string | null;
  lines: InvoiceLine[];
  billedTo: InvoiceBilledTo | null;
  /** For an invoice of a payment: the credits that payment brought (paymentCreditBreakdown), as decimal strings. */
  credits: { bought: string; bonus: string; coupon: string; total: string } | null;
};

const asLines = (v: unknown): InvoiceLine[] =>
  Array.isArray(v)
    ? v.flatMap((l) => {
        const o = l as Record<string, unknown>;
        return typeof o?.description === "string" ? [{ description: o.description, quantity: typeof o.quantity === "number" ? o.quantity : 1, amountCents: String(o.amountCents ?? "0") }] : [];
      })
    : [];

/** An invoice as pages, the PDF and the JSON routes see it: bigint as decimal strings, enums lower-case. */
export function invoiceView(i: Invoice, credits: PaymentCreditBreakdown | null): InvoiceView {
  return {
    id: i.id,
    number: i.number,
    source: i.source.toLowerCase() as InvoiceView["source"],
    status: i.status.toLowerCase() as InvoiceView["status"],
    amountCents: i.amountCents.toString(),
    currency: i.currency,
    periodStart: i.periodStart.toISOString(),
    periodEnd: i.periodEnd.toISOString(),
    paidAt: i.paidAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
    hostedUrl: i.hostedUrl,
    paymentId: i.paymentId,
    stripeInvoiceId: i.stripeInvoiceId,
    lines: asLines(i.lines),
    billedTo: i.billedTo && typeof i.billedTo === "object" ? (i.billedTo as InvoiceBilledTo) : null,
    credits: credits ? creditBreakdownJson(credits) : null,
  };
}

/** invoiceView for invoices read elsewhere, with their payments' credits loaded in two queries. */
export async function viewInvoices(db: Tx, invoices: Invoice[]): Promise<InvoiceView[]> {
  const ids = invoices.flatMap((i) => (i.paymentId ? [i.paymentId] : []));
  const payments = ids.length === 0 ? [] : await db.payment.findMany({ where: { id: { in: ids } } });
  const credits = await loadPaymentCredits(db, payments);
  return invoices.map((i) => invoiceView(i, (i.paymentId && credits.get(i.paymentId)) || null));
}
