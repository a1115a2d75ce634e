import type { Tx } from "../../db/client";
import { type PaymentView, paymentView } from "./payment-view";

/** One of the team's payments, or null (another team's id finds nothing). */
export async function getTeamPayment({ db, teamId, paymentId }: { db: Tx; teamId: string; paymentId: string }): Promise<PaymentView | null> {
  const p = await db.payment.findFirst({ where: { id: paymentId, teamId } });
  if (!p) return null;
  const r = await db.couponRedemption.findUnique({ where: { paymentId: p.id } });
  return paymentView(p, r && r.status !== "RELEASED" ? r.creditsGranted : 0n);
}
