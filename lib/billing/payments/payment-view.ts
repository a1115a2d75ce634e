import type { Payment, PaymentStatus } from "../../db/generated/client";
import { PAYMENT_METHOD_LABELS } from "../topups/payment-methods";

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

/** A payment as the browser and the JSON API see it: bigint as decimal strings, status lower-case. */
export function paymentView(p: Payment, couponCredits = 0n): PaymentView {
  return {
    id: p.id,
    createdAt: p.createdAt.toISOString(),
    method: p.method,
    methodLabel: (PAYMENT_METHOD_LABELS as Record<string, string>)[p.method] ?? p.method,
    amountCents: p.amountCents.toString(),
    currency: p.currency,
    credits: p.credits.toString(),
    bonusCredits: p.bonusCredits.toString(),
    couponCredits: couponCredits.toString(),
    totalCredits: (p.credits + p.bonusCredits + couponCredits).toString(),
    status: p.status.toLowerCase() as Lowercase<PaymentStatus>,
    failureMessage: p.failureMessage,
    refundedCents: p.refundedCents.toString(),
  };
}
