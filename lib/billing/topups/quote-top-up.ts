import type { Db } from "../../db/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { centsToCredits } from "../money";
import { checkCoupon } from "../coupons/check-coupon";
import { withCouponAttempt } from "../coupons/rate-limit";

export type TopUpQuote = {
  amountCents: bigint | null;
  /** Credits the amount buys at the configured rate. */
  credits: bigint;
  /** The coupon's percentage bonus on those credits. */
  bonusCredits: bigint;
  /** The coupon's outright grant. */
  couponCredits: bigint;
  totalCredits: bigint;
  coupon: {
    code: string;
    effect: string;
    description: string | null;
    /** What the browser needs to re-price the top-up as the amount changes (the server prices it again on Pay). */
    bonusPercent: number;
    grantCredits: bigint;
    minAmountCents: bigint;
    /** Grants credits alone: can be redeemed now, without paying. */
    appliesWithoutTopUp: boolean;
  } | null;
};

/**
 * What a top-up of `amountCents` (null: not chosen yet) with an optional code gives, before paying. A code that
 * does not apply is COUPON_INVALID with the reason; unknown, expired or disabled codes count toward the team's
 * wrong-code limit (RATE_LIMITED once used up).
 */
export async function quoteTopUp({
  db,
  teamId,
  amountCents,
  couponCode,
  config = billingConfig(),
}: {
  db: Db;
  teamId: string;
  amountCents: bigint | null;
  couponCode?: string | null;
  config?: BillingConfig;
}): Promise<TopUpQuote> {
  const credits = amountCents === null ? 0n : centsToCredits(amountCents, config.creditsPerDollar);
  const base: TopUpQuote = { amountCents, credits, bonusCredits: 0n, couponCredits: 0n, totalCredits: credits, coupon: null };
  if (!couponCode?.trim()) return base;
  const check = await withCouponAttempt({ db, teamId }, async (tx) => {
    const c = await checkCoupon({ db: tx, teamId, code: couponCode, amountCents, baseCredits: amountCents === null ? null : credits });
    if (!c.ok) throw new BillingError("COUPON_INVALID", c.reason, { field: "coupon", wrongCode: c.wrongCode });
    return c;
  });
  const { coupon } = check;
  return {
    ...base,
    bonusCredits: check.bonusCredits,
    couponCredits: check.grantCredits,
    totalCredits: credits + check.bonusCredits + check.grantCredits,
    coupon: {
      code: coupon.code,
      effect: check.effect,
      description: coupon.description,
      bonusPercent: coupon.bonusPercent,
      grantCredits: coupon.grantCredits,
      minAmountCents: coupon.minAmountCents,
      appliesWithoutTopUp: coupon.bonusPercent === 0 && coupon.minAmountCents === 0n && coupon.grantCredits > 0n,
    },
  };
}
