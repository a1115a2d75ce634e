import type { Tx } from "../../db/client";
import type { Subscription } from "../../db/generated/client";
import type { PlanChoice } from "./plan-offers";

export type ChangeKind = "new" | "upgrade" | "downgrade" | "cycle_change" | "reactivate" | "unchanged";

export type PlanChangeDecision = {
  kind: ChangeKind;
  effective: "now" | "period_end";
  /** The team's live subscription at Stripe (null for "new" and for Free with nothing to cancel). */
  current: (Subscription & { plan: { id: string; name: string; monthlyPriceCents: bigint; monthlyCredits: bigint | null } }) | null;
  /** For changes of price: how Stripe prorates (always_invoice charges now; none charges and credits nothing). */
  prorationBehavior: "always_invoice" | "none";
  resetCycle: boolean;
  /** Going to Free: the paid subscription ends with its period (cancel at period end). */
  cancelAtPeriodEnd: boolean;
};

const LIVE = ["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID"] as const;

/**
 * What choosing a plan means for a team, by the Subscription policy:
 * - new: no live subscription; the first invoice is paid now (saved card) or through Checkout.
 * - upgrade (a higher monthly price, same cycle): at once, prorated and charged now on the saved card; the plan
 *   credits' difference is granted once.
 * - downgrade (a lower price, same cycle): at once with no charge and no credit; the team keeps this cycle's plan
 *   credits and the next renewal bills the new plan (an immediate credit would let someone upgrade, take the bigger
 *   grant and downgrade for a refund).
 * - cycle_change (monthly ↔ annual, with or without a plan change): a new cycle starts now, prorated, charged now.
 * - reactivate: the same plan and cycle while cancelled (cancel at period end) lifts the cancellation.
 * - Free: a paid subscription is cancelled at period end (a downgrade to Free then); nothing to do if none or already so.
 */
export async function decidePlanChange({ db, teamId, choice }: { db: Tx; teamId: string; choice: PlanChoice }): Promise<PlanChangeDecision> {
  const row = await db.subscription.findUnique({
    where: { teamId },
    include: { plan: { select: { id: true, name: true, monthlyPriceCents: true, monthlyCredits: true } } },
  });
  const current = row && row.stripeSubscriptionId && (LIVE as readonly string[]).includes(row.status) ? row : null;
  const base = { current, prorationBehavior: "none" as const, resetCycle: false, cancelAtPeriodEnd: false };
  if (choice.kind === "free") {
    if (!current || current.cancelAtPeriodEnd) return { ...base, kind: "unchanged", effective: "now" };
    return { ...base, kind: "downgrade", effective: "period_end", cancelAtPeriodEnd: true };
  }
  if (!current) return { ...base, kind: "new", effective: "now", prorationBehavior: "always_invoice" };
  if (current.planId === choice.plan.id && current.billingCycle === choice.cycle) {
    return { ...base, kind: current.cancelAtPeriodEnd ? "reactivate" : "unchanged", effective: "now" };
  }
  if (current.billingCycle !== choice.cycle) return { ...base, kind: "cycle_change", effective: "now", prorationBehavior: "always_invoice", resetCycle: true };
  const up = choice.plan.monthlyPriceCents > current.plan.monthlyPriceCents;
  return { ...base, kind: up ? "upgrade" : "downgrade", effective: "now", prorationBehavior: up ? "always_invoice" : "none" };
}
