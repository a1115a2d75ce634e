import type { Tx } from "../../db/client";

export type PendingAdjustment = {
  id: string;
  amount: bigint;
  reason: string;
  createdAt: Date;
  requestedByUserId: string | null;
  requestedBy: string | null;
  team: { id: string; name: string; slug: string };
};

/** Adjustments waiting for a second platform admin, oldest first (the status index serves it). */
export async function listPendingAdjustments({ db, take = 50 }: { db: Tx; take?: number }): Promise<PendingAdjustment[]> {
  const rows = await db.creditAdjustmentRequest.findMany({
    where: { status: "PENDING" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take,
    include: { team: { select: { id: true, name: true, slug: true } }, requestedBy: { select: { email: true, name: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    amount: r.amount,
    reason: r.reason,
    createdAt: r.createdAt,
    requestedByUserId: r.requestedByUserId,
    requestedBy: r.requestedBy ? (r.requestedBy.email ?? r.requestedBy.name) : null,
    team: r.team,
  }));
}
