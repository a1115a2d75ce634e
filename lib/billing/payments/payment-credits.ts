import type { Tx } from "../../db/client";
import type { CouponRedemption, Payment } from "../../db/generated/client";

/** The credits one payment brought, and where they came from. */
export type PaymentCreditBreakdown = {
  /** Bought at the configured rate. */
  bought: bigint;
  /** The coupon's percentage bonus on them. */
  bonus: bigint;
  /** The coupon's outright grant. */
  coupon: bigint;
  total: bigint;
};

type CreditFields = Pick<Payment, "credits" | "bonusCredits" | "couponId" | "status">;
type RedemptionFields = Pick<CouponRedemption, "status" | "creditsGranted">;

/**
 * The one definition of "credits this payment brought", as fulfilment credits them: the bought credits, plus the
 * coupon's bonus and outright grant when its use is APPLIED. A checkout
 * still PENDING shows what its held (RESERVED) code will add once paid; a released code adds nothing.
 */
export function paymentCreditBreakdown(payment: CreditFields, redemption: RedemptionFields | null): PaymentCreditBreakdown {
  const counts = redemption?.status === "APPLIED" || (redemption?.status === "RESERVED" && payment.status === "PENDING");
  const bonus = payment.couponId === null || counts ? payment.bonusCredits : 0n;
  const coupon = counts && redemption ? redemption.creditsGranted : 0n;
  return { bought: payment.credits, bonus, coupon, total: payment.credits + bonus + coupon };
}

/** paymentCreditBreakdown for several payments with one read of their coupon uses. */
export async function loadPaymentCredits(db: Tx, payments: (CreditFields & Pick<Payment, "id">)[]): Promise<Map<string, PaymentCreditBreakdown>> {
  const redemptions =
    payments.length === 0
      ? []
      : await db.couponRedemption.findMany({
          where: { paymentId: { in: payments.map((p) => p.id) } },
          select: { paymentId: true, status: true, creditsGranted: true },
        });
  const byPayment = new Map(redemptions.map((r) => [r.paymentId, r]));
  return new Map(payments.map((p) => [p.id, paymentCreditBreakdown(p, byPayment.get(p.id) ?? null)]));
}

/** The breakdown as JSON-safe decimal strings. */
export const creditBreakdownJson = (c: PaymentCreditBreakdown) => ({
  bought: c.bought.toString(),
  bonus: c.bonus.toString(),
  coupon: c.coupon.toString(),
  total: c.total.toString(),
});
