import type { Db } from "../../db/client";
import type { Coupon } from "../../db/generated/client";
import { BillingError } from "../errors";

/** Stops a code from being applied from now on; checkouts that already reserved it still get what they were shown. */
export async function disableCoupon({ db, couponId, actorUserId }: { db: Db; couponId: string; actorUserId: string }): Promise<Coupon> {
  return db.$transaction(async (tx) => {
    const existing = await tx.coupon.findUnique({ where: { id: couponId } });
    if (!existing) throw new BillingError("NOT_FOUND", "That coupon does not exist.");
    if (existing.disabledAt) return existing;
    const coupon = await tx.coupon.update({ where: { id: couponId }, data: { disabledAt: new Date() } });
    await tx.auditLog.create({ data: { actorUserId, action: "coupon.disabled", targetType: "coupon", targetId: coupon.id, data: { code: coupon.code } } });
    return coupon;
  });
}
