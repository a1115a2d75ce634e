import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { BillingError } from "../errors";

/** Records the Checkout Session made for a pending top-up (the same one again is fine; another one is refused). */
export async function attachCheckoutSession({ db, paymentId, sessionId }: { db: Tx; paymentId: string; sessionId: string }): Promise<Payment> {
  const updated = await db.payment.updateManyAndReturn({ where: { id: paymentId, stripeCheckoutSession: null }, data: { stripeCheckoutSession: sessionId } });
  if (updated[0]) return updated[0];
  const p = await db.payment.findUnique({ where: { id: paymentId } });
  if (!p) throw new BillingError("NOT_FOUND", "That payment does not exist.");
  if (p.stripeCheckoutSession !== sessionId) throw new BillingError("CONFLICT", "That payment already has another checkout.");
  return p;
}
