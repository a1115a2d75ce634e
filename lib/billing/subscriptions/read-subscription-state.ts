import type { Tx } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";
import { getTeamPlan } from "../plans/get-team-plan";

/** The seed's status words (billing-api-plans-budgets): "cancelled" is a subscription that ends with its paid period. */
export type SeedSubscriptionStatus = "active" | "trial" | "cancelled" | "past_due" | "unpaid";

export type SubscriptionState = {
  plan: { id: string; name: string; monthlyCredits: bigint | null };
  /** null: the team is on Free with no subscription (or its subscription is over). */
  status: SeedSubscriptionStatus | null;
  billingCycle: BillingCycle | null;
  periodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** After a failed renewal: when usage stops being allowed (past_due), or since when it has been refused (unpaid). */
  graceEndsAt: Date | null;
  usageRefused: boolean;
  /** Plan credits of the current cycle (live PLAN grants): granted and still left. */
  planCredits: { granted: bigint; remaining: bigint };
  cycleStart: Date;
  cycleEnd: Date;
};

/**
 * What a Subscription page, a banner or the API needs about a team's plan, from the copy of Stripe's state (no Stripe
 * call). Internal read: the caller has checked the actor's permission.
 */
export async function readSubscriptionState({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<SubscriptionState> {
  const [plan, team, row, grants] = await Promise.all([
    getTeamPlan({ db, teamId, now }),
    db.team.findUniqueOrThrow({ where: { id: teamId }, select: { unpaidFrom: true } }),
    db.subscription.findUnique({ where: { teamId }, select: { status: true, cancelAtPeriodEnd: true, billingCycle: true, currentPeriodEnd: true } }),
    db.creditGrant.aggregate({
      where: { teamId, source: "PLAN", expiredAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      _sum: { amount: true, remaining: true },
    }),
  ]);
  const usageRefused = team.unpaidFrom !== null && team.unpaidFrom.getTime() <= now.getTime();
  let status: SeedSubscriptionStatus | null = null;
  if (row) {
    if (row.status === "UNPAID" || (row.status === "PAST_DUE" && usageRefused)) status = "unpaid";
    else if (row.status === "PAST_DUE") status = "past_due";
    else if ((row.status === "ACTIVE" || row.status === "TRIALING") && row.cancelAtPeriodEnd) status = "cancelled";
    else if (row.status === "ACTIVE") status = "active";
    else if (row.status === "TRIALING") status = "trial";
  }
  return {
    plan: { id: plan.plan.id, name: plan.plan.name, monthlyCredits: plan.plan.monthlyCredits },
    status,
    billingCycle: status ? row!.billingCycle : null,
    periodEnd: status ? row!.currentPeriodEnd : null,
    cancelAtPeriodEnd: status === "cancelled",
    graceEndsAt: team.unpaidFrom,
    usageRefused,
    planCredits: { granted: grants._sum.amount ?? 0n, remaining: grants._sum.remaining ?? 0n },
    cycleStart: plan.cycleStart,
    cycleEnd: plan.cycleEnd,
  };
}
