import type { Tx } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";

export type PricedPlan = { id: string; monthlyCredits: bigint | null; billingCycle: BillingCycle };

/**
 * The plan a Stripe price bills, by its lookup key (plans.stripe_monthly_lookup / stripe_annual_lookup), else by the
 * plan id Creditdesk wrote into the price's metadata (`pricePlan`: a price whose lookup key moved to a newer price
 * when the plan's amount changed still bills that plan); null if neither names a plan, and null for another team's
 * custom plan (plans.team_id), so a price of one team's contract never applies to another.
 */
export async function planForPrice({
  db,
  lookupKey,
  pricePlan = null,
  teamId,
}: {
  db: Tx;
  lookupKey: string | null;
  pricePlan?: { planId: string; annual: boolean } | null;
  teamId: string;
}): Promise<PricedPlan | null> {
  const select = { id: true, monthlyCredits: true, stripeAnnualLookup: true, teamId: true } as const;
  const byKey = lookupKey ? await db.plan.findFirst({ where: { OR: [{ stripeMonthlyLookup: lookupKey }, { stripeAnnualLookup: lookupKey }] }, select }) : null;
  const plan = byKey ?? (pricePlan ? await db.plan.findUnique({ where: { id: pricePlan.planId }, select }) : null);
  if (!plan || (plan.teamId !== null && plan.teamId !== teamId)) return null;
  const annual = byKey ? plan.stripeAnnualLookup === lookupKey : pricePlan!.annual;
  return { id: plan.id, monthlyCredits: plan.monthlyCredits, billingCycle: annual ? "ANNUAL" : "MONTHLY" };
}
