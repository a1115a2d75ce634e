import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { type PaymentView, viewPayments } from "./payment-view";

/** One of the team's payments, or null (another team's id finds nothing). */
export async function getTeamPayment({ db, teamId, paymentId }: { db: Tx; teamId: string; paymentId: string }): Promise<PaymentView | null> {
  const p = await db.payment.findFirst({ where: { id: paymentId, teamId } });
  if (!p) return null;
  const [view] = await viewPayments(db, [p]);
  return view ?? null;
}

/** getTeamPayment for the actor's team, for pages and routes alike: FORBIDDEN without billing:read. */
export async function readTeamPayment({ db, actor, paymentId }: { db: Tx; actor: Actor; paymentId: string }): Promise<PaymentView | null> {
  requirePermission(actor, "billing:read");
  return getTeamPayment({ db, teamId: actor.teamId, paymentId });
}
