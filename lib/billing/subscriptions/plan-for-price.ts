import type { Tx } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";

export type PricedPlan = { id: string; monthlyCredits: bigint | null; billingCycle: BillingCycle };

/** The plan a Stripe price bills, by its lookup key (plans.stripe_monthly_lookup / stripe_annual_lookup); null if none. */
export async function planForPrice({ db, lookupKey }: { db: Tx; lookupKey: string | null }): Promise<PricedPlan | null> {
  if (!lookupKey) return null;
  const plan = await db.plan.findFirst({
    where: { OR: [{ stripeMonthlyLookup: lookupKey }, { stripeAnnualLookup: lookupKey }] },
    select: { id: true, monthlyCredits: true, stripeAnnualLookup: true },
  });
  if (!plan) return null;
  return { id: plan.id, monthlyCredits: plan.monthlyCredits, billingCycle: plan.stripeAnnualLookup === lookupKey ? "ANNUAL" : "MONTHLY" };
}
