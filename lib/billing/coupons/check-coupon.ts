import type { Tx } from "../../db/client";
import type { Coupon } from "../../db/generated/client";
import { formatCents, formatCredits } from "../money";
import { normalizeCouponCode } from "./code";

export type CouponCheck =
  | { ok: true; coupon: Coupon; grantCredits: bigint; bonusCredits: bigint; effect: string }
  /** wrongCode: no usable code by that name (counts toward the team's wrong-code limit). */
  | { ok: false; reason: string; wrongCode: boolean };

/** Percentage bonus on a top-up's credits, in integers, rounded down. */
export function couponBonusCredits(baseCredits: bigint, bonusPercent: number): bigint {
  return (baseCredits * BigInt(bonusPercent)) / 100n;
}

/** What the coupon does, in words ("+50,000 credits and a 10% bonus (+8,000 credits)"). */
export function describeCouponEffect(c: Pick<Coupon, "grantCredits" | "bonusPercent">, bonusCredits: bigint | null): string {
  const parts: string[] = [];
  if (c.grantCredits > 0n) parts.push(`+${formatCredits(c.grantCredits)} credits`);
  if (c.bonusPercent > 0)
    parts.push(`a ${c.bonusPercent}% bonus${bonusCredits !== null ? ` (+${formatCredits(bonusCredits)} credits)` : " on the credits you buy"}`);
  return parts.join(" and ");
}

/**
 * Whether a team can use a code on a top-up of `amountCents` (null: no amount chosen yet, or redeeming alone), and
 * what it adds. With `lock`, the coupon row is locked first (inside the caller's transaction), so two checkouts of
 * one team, or the last redemptions of a limited code, are decided one at a time.
 */
export async function checkCoupon({
  db,
  teamId,
  code: rawCode,
  amountCents,
  baseCredits,
  lock = false,
  now = new Date(),
}: {
  db: Tx;
  teamId: string;
  code: string;
  amountCents: bigint | null;
  baseCredits: bigint | null;
  lock?: boolean;
  now?: Date;
}): Promise<CouponCheck> {
  const code = normalizeCouponCode(rawCode);
  if (!code) return { ok: false, reason: "That is not a valid code.", wrongCode: true };
  if (lock) await db.$queryRaw`SELECT id FROM coupons WHERE code = ${code} FOR UPDATE`;
  const coupon = await db.coupon.findUnique({ where: { code } });
  if (!coupon) return { ok: false, reason: "That code does not exist. Check the spelling and try again.", wrongCode: true };
  if (coupon.disabledAt) return { ok: false, reason: "That code is no longer active.", wrongCode: true };
  if (coupon.expiresAt && coupon.expiresAt.getTime() <= now.getTime()) {
    return { ok: false, reason: `That code expired on ${coupon.expiresAt.toISOString().slice(0, 10)}.`, wrongCode: true };
  }
  const usedByTeam = await db.couponRedemption.count({ where: { couponId: coupon.id, teamId, status: { in: ["RESERVED", "APPLIED"] } } });
  if (usedByTeam >= coupon.perTeamLimit) {
    const pending = await db.couponRedemption.count({ where: { couponId: coupon.id, teamId, status: "RESERVED" } });
    return {
      ok: false,
      reason:
        pending > 0
          ? "Your team is already using this code in a checkout that has not finished."
          : coupon.perTeamLimit === 1
            ? "Your team has already used this code."
            : `Your team has already used this code ${coupon.perTeamLimit} times, its limit.`,
      wrongCode: false,
    };
  }
  if (coupon.maxRedemptions !== null && coupon.redemptionCount >= coupon.maxRedemptions) {
    return { ok: false, reason: "That code has been fully redeemed.", wrongCode: false };
  }
  if (amountCents !== null && amountCents < coupon.minAmountCents) {
    return { ok: false, reason: `That code needs a top-up of at least ${formatCents(coupon.minAmountCents)}.`, wrongCode: false };
  }
  const bonusCredits = baseCredits === null ? 0n : couponBonusCredits(baseCredits, coupon.bonusPercent);
  return {
    ok: true,
    coupon,
    grantCredits: coupon.grantCredits,
    bonusCredits,
    effect: describeCouponEffect(coupon, baseCredits === null ? null : bonusCredits),
  };
}
