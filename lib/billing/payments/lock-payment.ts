import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";

/**
 * Finds and locks (FOR UPDATE, in the caller's transaction) the payment a Stripe charge belongs to: by charge id,
 * then by PaymentIntent id, then by the payment id we put in the PaymentIntent's metadata when both the id and
 * the team agree. Null when the charge is not one of ours.
 */
export async function lockPaymentForCharge(
  tx: Tx,
  ref: { chargeId: string | null; paymentIntentId: string | null; metadataPaymentId?: string | null; metadataTeamId?: string | null },
): Promise<Payment | null> {
  let rows: { id: string }[] = [];
  if (ref.chargeId) rows = await tx.$queryRaw`SELECT id FROM payments WHERE stripe_charge = ${ref.chargeId} FOR UPDATE`;
  if (!rows[0] && ref.paymentIntentId) rows = await tx.$queryRaw`SELECT id FROM payments WHERE stripe_payment_intent = ${ref.paymentIntentId} FOR UPDATE`;
  if (!rows[0] && ref.metadataPaymentId && ref.metadataTeamId) {
    rows = await tx.$queryRaw`SELECT id FROM payments WHERE id = ${ref.metadataPaymentId} AND team_id = ${ref.metadataTeamId}
      AND (stripe_payment_intent IS NULL OR stripe_payment_intent = ${ref.paymentIntentId}) FOR UPDATE`;
  }
  const id = rows[0]?.id;
  return id ? tx.payment.findUnique({ where: { id } }) : null;
}

/** Every credit a payment produced: bought, percentage bonus, and the outright grant of a coupon used with it. */
export async function paymentCredits(tx: Tx, payment: Payment): Promise<bigint> {
  const redemption = await tx.couponRedemption.findUnique({ where: { paymentId: payment.id } });
  return payment.credits + payment.bonusCredits + (redemption?.status === "APPLIED" ? redemption.creditsGranted : 0n);
}

/** Credits already taken back from a payment (refunds and disputes, less disputes won). */
export async function creditsTakenBack(tx: Tx, payment: Payment): Promise<bigint> {
  const rows = await tx.ledgerEntry.groupBy({
    by: ["kind"],
    where: { teamId: payment.teamId, paymentId: payment.id, kind: { in: ["REFUND", "DISPUTE", "DISPUTE_REVERSAL"] } },
    _sum: { amount: true },
  });
  // REFUND and DISPUTE entries are negative, reversals positive.
  return -rows.reduce((acc, r) => acc + (r._sum.amount ?? 0n), 0n);
}
