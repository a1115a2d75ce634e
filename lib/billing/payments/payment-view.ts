import type { Tx } from "../../db/client";
import type { Payment, PaymentStatus } from "../../db/generated/client";
import { PAYMENT_METHOD_LABELS } from "../topups/payment-methods";
import { loadPaymentCredits, type PaymentCreditBreakdown } from "./payment-credits";

export type PaymentView = {
  id: string;
  createdAt: string;
  method: string;
  methodLabel: string;
  amountCents: string;
  currency: string;
  credits: string;
  bonusCredits: string;
  couponCredits: string;
  totalCredits: string;
  status: Lowercase<PaymentStatus>;
  failureMessage: string | null;
  refundedCents: string;
};

/**
 * A payment as the browser and the JSON API see it: bigint as decimal strings, status lower-case, its credits as
 * paymentCreditBreakdown counts them (payment history, Invoices and the invoice all show that one figure).
 */
export function paymentView(p: Payment, c: PaymentCreditBreakdown): PaymentView {
  return {
    id: p.id,
    createdAt: p.createdAt.toISOString(),
    method: p.method,
    methodLabel: (PAYMENT_METHOD_LABELS as Record<string, string>)[p.method] ?? p.method,
    amountCents: p.amountCents.toString(),
    currency: p.currency,
    credits: c.bought.toString(),
    bonusCredits: c.bonus.toString(),
    couponCredits: c.coupon.toString(),
    totalCredits: c.total.toString(),
    status: p.status.toLowerCase() as Lowercase<PaymentStatus>,
    failureMessage: p.failureMessage,
    refundedCents: p.refundedCents.toString(),
  };
}

/** paymentView for payments read elsewhere, their credits loaded in one query. */
export async function viewPayments(db: Tx, payments: Payment[]): Promise<PaymentView[]> {
  const credits = await loadPaymentCredits(db, payments);
  return payments.map((p) => paymentView(p, credits.get(p.id)!));
}
