import type { Db, Tx } from "../../db/client";

export type ChargeRef = {
  chargeId?: string | null;
  paymentIntentId?: string | null;
  checkoutSessionId?: string | null;
  /** payment_id and team_id from metadata we set on the PaymentIntent: used only together, and only for a payment
   * whose PaymentIntent is unknown or the same. */
  metadataPaymentId?: string | null;
  metadataTeamId?: string | null;
};

/** The payment a Stripe charge, PaymentIntent or Checkout Session belongs to, or null when it is not ours. */
export async function findPaymentForCharge(db: Db | Tx, ref: ChargeRef): Promise<{ id: string; teamId: string } | null> {
  const select = { id: true, teamId: true } as const;
  if (ref.chargeId) {
    const p = await db.payment.findUnique({ where: { stripeCharge: ref.chargeId }, select });
    if (p) return p;
  }
  if (ref.paymentIntentId) {
    const p = await db.payment.findUnique({ where: { stripePaymentIntent: ref.paymentIntentId }, select });
    if (p) return p;
  }
  if (ref.checkoutSessionId) {
    const p = await db.payment.findUnique({ where: { stripeCheckoutSession: ref.checkoutSessionId }, select });
    if (p) return p;
  }
  if (ref.metadataPaymentId && ref.metadataTeamId) {
    const p = await db.payment.findFirst({
      where: {
        id: ref.metadataPaymentId,
        teamId: ref.metadataTeamId,
        ...(ref.paymentIntentId ? { OR: [{ stripePaymentIntent: null }, { stripePaymentIntent: ref.paymentIntentId }] } : {}),
      },
      select,
    });
    if (p) return p;
  }
  return null;
}
