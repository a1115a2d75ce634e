import type { Tx } from "../../db/client";
import type { CouponRedemption } from "../../db/generated/client";

/** Makes a pending top-up's reserved use final; returns the redemption (already applied counts too), or null when none. */
export async function applyRedemption({ db, paymentId }: { db: Tx; paymentId: string }): Promise<CouponRedemption | null> {
  const r = await db.couponRedemption.findUnique({ where: { paymentId } });
  if (!r) return null;
  if (r.status === "RESERVED") return db.couponRedemption.update({ where: { id: r.id }, data: { status: "APPLIED" } });
  return r;
}
