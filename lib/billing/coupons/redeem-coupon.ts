import type { Db } from "../../db/client";
import type { CouponRedemption, LedgerEntry } from "../../db/generated/client";
import { BillingError } from "../errors";
import { creditCredits } from "../ledger/credit-credits";
import { checkCoupon } from "./check-coupon";
import { withCouponAttempt } from "./rate-limit";

/**
 * Redeems a code that grants credits outright, with no top-up: one COUPON grant, in one transaction with the
 * redemption. Codes with a bonus percentage or a minimum amount apply to a top-up instead (COUPON_INVALID here).
 */
export async function redeemCoupon({
  db,
  teamId,
  actorUserId,
  code,
}: {
  db: Db;
  teamId: string;
  actorUserId: string | null;
  code: string;
}): Promise<{ redemption: CouponRedemption; entry: LedgerEntry }> {
  return withCouponAttempt({ db, teamId }, async (tx) => {
    const check = await checkCoupon({ db: tx, teamId, code, amountCents: null, baseCredits: null, lock: true });
    if (!check.ok) throw new BillingError("COUPON_INVALID", check.reason, { field: "coupon", wrongCode: check.wrongCode });
    const { coupon } = check;
    if (coupon.bonusPercent > 0 || coupon.minAmountCents > 0n || coupon.grantCredits <= 0n) {
      throw new BillingError("COUPON_INVALID", "That code applies to a top-up: choose an amount and pay to get its credits.", { field: "coupon" });
    }
    // Every earlier row counts, released ones too (they keep their keys); the coupon row is locked, so n is ours alone.
    const n = await tx.couponRedemption.count({ where: { couponId: coupon.id, teamId } });
    const redemption = await tx.couponRedemption.create({
      data: { couponId: coupon.id, teamId, status: "APPLIED", creditsGranted: coupon.grantCredits, idempotencyKey: `redeem:${coupon.id}:${n + 1}` },
    });
    await tx.coupon.update({ where: { id: coupon.id }, data: { redemptionCount: { increment: 1 } } });
    const { entry } = await creditCredits({
      db: tx,
      teamId,
      amount: coupon.grantCredits,
      kind: "COUPON",
      idempotencyKey: `coupon:${redemption.id}`,
      actorUserId,
      referenceType: "coupon_redemption",
      referenceId: redemption.id,
      description: `Coupon ${coupon.code}`,
    });
    return { redemption, entry };
  });
}
