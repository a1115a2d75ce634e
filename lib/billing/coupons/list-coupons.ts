import type { Tx } from "../../db/client";
import type { Coupon } from "../../db/generated/client";

export type CouponRow = Coupon & { status: "active" | "disabled" | "expired" };

/** Every code, newest first, with whether it can still be used, for the admin page. */
export async function listCoupons({ db, take = 200, now = new Date() }: { db: Tx; take?: number; now?: Date }): Promise<CouponRow[]> {
  const rows = await db.coupon.findMany({ orderBy: { createdAt: "desc" }, take });
  return rows.map((c) => ({ ...c, status: couponStatus(c, now) }));
}

/** Whether a code can still be used: disabled by an admin, past its end, or active. */
export const couponStatus = (c: Pick<Coupon, "disabledAt" | "expiresAt">, now: Date): CouponRow["status"] =>
  c.disabledAt ? "disabled" : c.expiresAt && c.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
