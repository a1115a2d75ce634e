/**
 * The seed's overage rate: $2.00 per 1M FCU, the price of each FCU a paid plan uses beyond all the credits it has (its
 * plan credits and purchased ones), drawn below zero on its metered allowance and billed on a statement at the cycle's
 * end (lib/billing/statements). 1 credit = 1 FCU, so this is 200 cents per 1,000,000 credits, 0.0002 cents each.
 */
export const OVERAGE_CENTS_PER_MILLION = 200n;
const MILLION = 1_000_000n;

/**
 * The cost of `credits` of overage in whole cents, in integer arithmetic: credits × 200 / 1,000,000, rounded half up
 * once on the cycle's total (never per event), so 2,500 FCU (half a cent) costs 1 cent, 2,499 cost 0, 1M cost 200.
 */
export function overageCostCents(credits: bigint): bigint {
  if (credits <= 0n) return 0n;
  return (credits * OVERAGE_CENTS_PER_MILLION * 2n + MILLION) / (MILLION * 2n);
}

/** The credits `cents` of overage buys at the overage rate, rounded down (the metered allowance in credits). */
export function overageCreditsForCents(cents: bigint): bigint {
  return cents > 0n ? (cents * MILLION) / OVERAGE_CENTS_PER_MILLION : 0n;
}

/** Whether usage beyond the plan's and purchased credits may be drawn and billed at the overage rate: every public paid
 * plan (PAYG, Starter, Pro, Scale); not Free, and not Enterprise or a team's custom plan (billed per contract). */
export function planHasOverage(plan: { id: string; teamId: string | null }): boolean {
  return plan.id !== "free" && plan.id !== "enterprise" && plan.teamId === null;
}
