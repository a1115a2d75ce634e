import type { Db } from "../db/client";
import { createCoupon } from "../billing/coupons/create-coupon";

/** Demo promo codes, made through the billing core; skipped when they already exist. Call from seedDemo. */
export const demoCoupons = [
  { code: "WELCOME10", description: "10% bonus credits on a top-up of $10 or more", bonusPercent: "10", minAmount: "10" },
  { code: "FREE50K", description: "50,000 free credits, no top-up needed", grantCredits: "50000" },
  {
    code: "LAUNCH25",
    description: "25% bonus and 100,000 credits on a top-up of $50 or more",
    bonusPercent: "25",
    grantCredits: "100000",
    minAmount: "50",
    maxRedemptions: "100",
  },
] as const;

export async function seedDemoCoupons({ db, actorUserId = null }: { db: Db; actorUserId?: string | null }): Promise<number> {
  let created = 0;
  for (const c of demoCoupons) {
    if (await db.coupon.findUnique({ where: { code: c.code } })) continue;
    await createCoupon({ db, input: c, actorUserId });
    created += 1;
  }
  return created;
}
