import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { type PaymentView, viewPayments } from "./payment-view";

export type PaymentPage = { items: PaymentView[]; page: number; pageSize: number; total: number; pageCount: number };

/** A team's payments, newest first, one page at a time. Checkouts the person backed out of (CANCELED) are left out. */
export async function listPayments({
  db,
  teamId,
  page = 1,
  pageSize = 10,
}: {
  db: Tx;
  teamId: string;
  page?: number;
  pageSize?: number;
}): Promise<PaymentPage> {
  const where = { teamId, status: { not: "CANCELED" as const } };
  const total = await db.payment.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pageCount);
  const rows = await db.payment.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (current - 1) * pageSize, take: pageSize });
  return { items: await viewPayments(db, rows), page: current, pageSize, total, pageCount };
}

/** listPayments for the actor's team, for the payment history: FORBIDDEN without billing:read. */
export async function readTeamPayments({ db, actor, page }: { db: Tx; actor: Actor; page?: number }): Promise<PaymentPage> {
  requirePermission(actor, "billing:read");
  return listPayments({ db, teamId: actor.teamId, page });
}
