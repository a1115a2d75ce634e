import type { Tx } from "../../db/client";

/**
 * Remembers why an attempt in a still-open checkout failed (a declined card), so payment history can say why.
 * The payment stays PENDING: the person may try again in the same checkout. Only our pending payments with the
 * same team are touched.
 */
export async function noteFailedAttempt({
  db,
  paymentId,
  teamId,
  paymentIntentId,
  message,
}: {
  db: Tx;
  paymentId: string;
  teamId: string;
  paymentIntentId: string;
  message: string;
}): Promise<boolean> {
  const r = await db.payment.updateMany({
    where: { id: paymentId, teamId, status: "PENDING", OR: [{ stripePaymentIntent: null }, { stripePaymentIntent: paymentIntentId }] },
    data: { failureMessage: message.slice(0, 500) },
  });
  return r.count > 0;
}
