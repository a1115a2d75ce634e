import type { Tx } from "../../db/client";

/** How many adjustments wait for a second platform admin (the admin home's counter; the status index serves it). */
export async function countPendingAdjustments({ db }: { db: Tx }): Promise<number> {
  return db.creditAdjustmentRequest.count({ where: { status: "PENDING" } });
}
