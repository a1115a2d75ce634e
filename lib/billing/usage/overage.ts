/**
 * The seed's overage rate: $2.00 per 1M FCU (PAYG's price for every FCU; for the other plans, the price of each FCU
 * used beyond the plan's monthly credits). 1 credit = 1 FCU, so this is 200 cents per 1,000,000 credits, 0.0002 cents
 * each.
 */
export const OVERAGE_CENTS_PER_MILLION = 200n;
const MILLION = 1_000_000n;

/**
 * The credits a plan includes each cycle before overage: its monthly credits; none for PAYG (every FCU is metered);
 * null when usage is never overage (Enterprise: unlimited, billed per contract).
 */
export function includedCredits(plan: { id: string; monthlyCredits: bigint | null }): bigint | null {
  if (plan.id === "payg") return 0n;
  return plan.monthlyCredits;
}

/** The credits used beyond what the plan includes (0 within it, or when nothing is overage). */
export function overageCredits(used: bigint, included: bigint | null): bigint {
  return included !== null && used > included ? used - included : 0n;
}

/**
 * The cost of `credits` of overage in whole cents, in integer arithmetic: credits × 200 / 1,000,000, rounded half up
 * once on the cycle's total (never per event), so 2,500 FCU (half a cent) costs 1 cent, 2,499 cost 0, 1M cost 200.
 */
export function overageCostCents(credits: bigint): bigint {
  if (credits <= 0n) return 0n;
  return (credits * OVERAGE_CENTS_PER_MILLION * 2n + MILLION) / (MILLION * 2n);
}
