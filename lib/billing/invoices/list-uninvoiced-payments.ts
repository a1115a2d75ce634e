import type { Tx } from "../../db/client";
import { type PaymentView, viewPayments } from "../payments/payment-view";

/** The team's paid payments (top-ups, Buy Credit, auto top-up) that have no invoice yet, newest first. */
export async function listUninvoicedPayments({ db, teamId, limit = 20 }: { db: Tx; teamId: string; limit?: number }): Promise<PaymentView[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM payments p
     WHERE p.team_id = ${teamId} AND p.succeeded_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.payment_id = p.id)
     ORDER BY p.created_at DESC, p.id DESC LIMIT ${limit}`;
  if (rows.length === 0) return [];
  const payments = await db.payment.findMany({ where: { id: { in: rows.map((r) => r.id) } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  return viewPayments(db, payments);
}
