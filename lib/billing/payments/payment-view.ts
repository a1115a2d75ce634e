import type { Tx } from "../../db/client";
import type { Payment, PaymentStatus } from "../../db/generated/client";
import { paymentKindWords, paymentMethodWords } from "../words";
import { loadPaymentCredits, type PaymentCreditBreakdown } from "./payment-credits";

export type PaymentViewStatus = Lowercase<PaymentStatus>;

export type PaymentView = {
  id: string;
  createdAt: Date;
  method: string;
  methodLabel: string;
  /** Which way the payment came, in words: Top Up, Buy Credit, Auto top-up. */
  kindLabel: string;
  amountCents: bigint;
  currency: string;
  credits: bigint;
  bonusCredits: bigint;
  couponCredits: bigint;
  totalCredits: bigint;
  status: PaymentViewStatus;
  failureMessage: string | null;
  refundedCents: bigint;
};

/**
 * A payment as pages and routes show it (a route encodes it with paymentOutput): status lower-case, its credits as
 * paymentCreditBreakdown counts them (payment history, Invoices and the invoice all show that one figure).
 */
export function paymentView(p: Payment, c: PaymentCreditBreakdown): PaymentView {
  return {
    id: p.id,
    createdAt: p.createdAt,
    method: p.method,
    methodLabel: paymentMethodWords(p.method),
    kindLabel: paymentKindWords(p.kind),
    amountCents: p.amountCents,
    currency: p.currency,
    credits: c.bought,
    bonusCredits: c.bonus,
    couponCredits: c.coupon,
    totalCredits: c.total,
    status: p.status.toLowerCase() as PaymentViewStatus,
    failureMessage: p.failureMessage,
    refundedCents: p.refundedCents,
  };
}

/** paymentView for payments read elsewhere, their credits loaded in one query. */
export async function viewPayments(db: Tx, payments: Payment[]): Promise<PaymentView[]> {
  const credits = await loadPaymentCredits(db, payments);
  return payments.map((p) => paymentView(p, credits.get(p.id)!));
}
