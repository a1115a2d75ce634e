import type { Tx } from "../../db/client";
import type { Coupon, CouponRedemption } from "../../db/generated/client";
import { BillingError } from "../errors";
import { checkCoupon } from "./check-coupon";

/**
 * Holds one use of a code for a pending top-up, in the caller's transaction: the coupon row is locked, the team's
 * and the code's limits are checked, the use is counted now (so a second tab is refused) and only becomes final
 * when the payment succeeds (applyRedemption) or is given back when it does not (releaseRedemption).
 */
export async function reserveRedemption({
  db,
  teamId,
  code,
  paymentId,
  amountCents,
  baseCredits,
}: {
  db: Tx;
  teamId: string;
  code: string;
  paymentId: string;
  amountCents: bigint;
  baseCredits: bigint;
}): Promise<{ coupon: Coupon; redemption: CouponRedemption; grantCredits: bigint; bonusCredits: bigint; effect: string }> {
  const check = await checkCoupon({ db, teamId, code, amountCents, baseCredits, lock: true });
  if (!check.ok) throw new BillingError("COUPON_INVALID", check.reason, { field: "coupon", wrongCode: check.wrongCode });
  const redemption = await db.couponRedemption.create({
    data: { couponId: check.coupon.id, teamId, paymentId, status: "RESERVED", creditsGranted: check.grantCredits, idempotencyKey: `payment:${paymentId}` },
  });
  await db.coupon.update({ where: { id: check.coupon.id }, data: { redemptionCount: { increment: 1 } } });
  return { coupon: check.coupon, redemption, grantCredits: check.grantCredits, bonusCredits: check.bonusCredits, effect: check.effect };
}
