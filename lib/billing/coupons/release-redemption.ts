import type { Tx } from "../../db/client";

/** Gives back the use a pending top-up held (its checkout expired, failed or was abandoned). Idempotent. */
export async function releaseRedemption({ db, paymentId }: { db: Tx; paymentId: string }): Promise<boolean> {
  const released = await db.couponRedemption.updateManyAndReturn({ where: { paymentId, status: "RESERVED" }, data: { status: "RELEASED" } });
  for (const r of released) await db.coupon.update({ where: { id: r.couponId }, data: { redemptionCount: { decrement: 1 } } });
  return released.length > 0;
}
