import type { Tx } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";

export type PricedPlan = { id: string; monthlyCredits: bigint | null; billingCycle: BillingCycle };

/**
 * The plan a Stripe price bills, by its lookup key (plans.stripe_monthly_lookup / stripe_annual_lookup); null if none,
 * and null for another team's custom plan (plans.team_id), so a price of one team's contract never applies to another.
 */
export async function planForPrice({ db, lookupKey, teamId }: { db: Tx; lookupKey: string | null; teamId: string }): Promise<PricedPlan | null> {
  if (!lookupKey) return null;
  const plan = await db.plan.findFirst({
    where: { OR: [{ stripeMonthlyLookup: lookupKey }, { stripeAnnualLookup: lookupKey }] },
    select: { id: true, monthlyCredits: true, stripeAnnualLookup: true, teamId: true },
  });
  if (!plan || (plan.teamId !== null && plan.teamId !== teamId)) return null;
  return { id: plan.id, monthlyCredits: plan.monthlyCredits, billingCycle: plan.stripeAnnualLookup === lookupKey ? "ANNUAL" : "MONTHLY" };
}
