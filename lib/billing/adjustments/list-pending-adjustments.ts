import type { Tx } from "../../db/client";
import { billingConfig, type BillingConfig } from "../config";
import { secondAdminWhy } from "./adjustment-rules";

export type PendingAdjustment = {
  id: string;
  amount: bigint;
  reason: string;
  createdAt: Date;
  requestedByUserId: string | null;
  requestedBy: string | null;
  team: { id: string; name: string; slug: string };
  /** Why it waits for a second admin, in words. */
  why: string;
};

/** Adjustments waiting for a second platform admin, oldest first (the status index serves it). */
export async function listPendingAdjustments({
  db,
  take = 50,
  config = billingConfig(),
}: {
  db: Tx;
  take?: number;
  config?: BillingConfig;
}): Promise<PendingAdjustment[]> {
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
    why: secondAdminWhy(r, config.adjustmentSecondApprovalCredits),
  }));
}
