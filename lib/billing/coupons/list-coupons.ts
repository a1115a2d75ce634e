import type { Tx } from "../../db/client";
import type { Coupon } from "../../db/generated/client";

/** Every code, newest first, for the admin page. */
export async function listCoupons({ db, take = 200 }: { db: Tx; take?: number }): Promise<Coupon[]> {
  return db.coupon.findMany({ orderBy: { createdAt: "desc" }, take });
}
