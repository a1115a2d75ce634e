import type { Tx } from "../../db/client";
import type { Invoice } from "../../db/generated/client";
import type { BillingDetailsView } from "../billing-details/get-billing-details";
import { loadPaymentCredits, type PaymentCreditBreakdown } from "../payments/payment-credits";
import { paymentKindWords, statementKindWords } from "../words";

/** A line as stored on the invoice (JSON, so its amount is decimal text). */
export type InvoiceLine = { description: string; quantity: number; amountCents: string };
/** A line as the invoice's view carries it. */
export type InvoiceLineView = { description: string; quantity: number; amountCents: bigint };
/** The team's billing details as they were when the invoice was issued. */
export type InvoiceBilledTo = { teamName: string } & Omit<BillingDetailsView, "updatedAt">;

export type InvoiceView = {
  id: string;
  number: string;
  source: "stripe" | "creditdesk";
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  amountCents: bigint;
  /** Stripe's amount due and amount paid, for an invoice copied from Stripe (null for a generated one). */
  amountDueCents: bigint | null;
  amountPaidCents: bigint | null;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  paidAt: Date | null;
  createdAt: Date;
  /** Stripe's hosted invoice page and its PDF (copied invoices only). */
  hostedUrl: string | null;
  pdfUrl: string | null;
  paymentId: string | null;
  stripeInvoiceId: string | null;
  lines: InvoiceLineView[];
  billedTo: InvoiceBilledTo | null;
  /** For an invoice of a payment: the credits that payment brought (paymentCreditBreakdown). */
  credits: PaymentCreditBreakdown | null;
  /** What it bills, in words: Top Up, Buy Credit, Auto top-up (a payment's), Subscription, or a statement. */
  purpose: string;
};

const WHOLE = /^-?\d{1,30}$/;
const toCents = (v: unknown): bigint =>
  typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : typeof v === "string" && WHOLE.test(v) ? BigInt(v) : 0n;

const asLines = (v: unknown): InvoiceLineView[] =>
  Array.isArray(v)
    ? v.flatMap((l) => {
        const o = l as Record<string, unknown>;
        return typeof o?.description === "string"
          ? [{ description: o.description, quantity: typeof o.quantity === "number" ? o.quantity : 1, amountCents: toCents(o.amountCents) }]
          : [];
      })
    : [];

/** An invoice as pages, the PDF and the JSON routes see it: money in bigint, moments as Date, enums lower-case. */
export function invoiceView(i: Invoice, credits: PaymentCreditBreakdown | null, purpose?: string): InvoiceView {
  return {
    id: i.id,
    number: i.number,
    source: i.source.toLowerCase() as InvoiceView["source"],
    status: i.status.toLowerCase() as InvoiceView["status"],
    amountCents: i.amountCents,
    amountDueCents: i.amountDueCents,
    amountPaidCents: i.amountPaidCents,
    currency: i.currency,
    periodStart: i.periodStart,
    periodEnd: i.periodEnd,
    paidAt: i.paidAt,
    createdAt: i.createdAt,
    hostedUrl: i.hostedUrl,
    pdfUrl: i.pdfUrl,
    paymentId: i.paymentId,
    stripeInvoiceId: i.stripeInvoiceId,
    lines: asLines(i.lines),
    billedTo: i.billedTo && typeof i.billedTo === "object" ? (i.billedTo as InvoiceBilledTo) : null,
    credits,
    purpose: purpose ?? (i.source === "STRIPE" ? "Subscription" : "Top Up"),
  };
}

/** invoiceView for invoices read elsewhere, with their payments' credits loaded in two queries. */
export async function viewInvoices(db: Tx, invoices: Invoice[]): Promise<InvoiceView[]> {
  const ids = invoices.flatMap((i) => (i.paymentId ? [i.paymentId] : []));
  const payments = ids.length === 0 ? [] : await db.payment.findMany({ where: { id: { in: ids } } });
  const stripeIds = invoices.flatMap((i) => (i.stripeInvoiceId ? [i.stripeInvoiceId] : []));
  const [credits, statements] = await Promise.all([
    loadPaymentCredits(db, payments),
    // A statement (overage or credit line) is billed by a Stripe invoice too; everything else from Stripe is the subscription.
    stripeIds.length === 0 ? [] : db.statement.findMany({ where: { stripeInvoiceId: { in: stripeIds } }, select: { stripeInvoiceId: true, kind: true } }),
  ]);
  const kindOfPayment = new Map(payments.map((p) => [p.id, p.kind]));
  const kindOfStatement = new Map(statements.map((st) => [st.stripeInvoiceId, st.kind]));
  return invoices.map((i) => {
    const paymentKind = i.paymentId ? kindOfPayment.get(i.paymentId) : undefined;
    const statementKind = i.stripeInvoiceId ? kindOfStatement.get(i.stripeInvoiceId) : undefined;
    const purpose = paymentKind ? paymentKindWords(paymentKind) : statementKind ? statementKindWords(statementKind) : undefined;
    return invoiceView(i, (i.paymentId && credits.get(i.paymentId)) || null, purpose);
  });
}
