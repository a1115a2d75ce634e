import type { Tx } from "../../db/client";
import type { BillingCycle, SubscriptionStatus } from "../../db/generated/enums";
import { endOfUtcMonth } from "../config";
import { BillingError } from "../errors";
import { startOfUtcMonth } from "../dates";
import { creditMonth } from "../subscriptions/credit-month";

export type TeamPlan = {
  plan: { id: string; name: string; monthlyCredits: bigint | null; monthlyPriceCents: bigint; canBuyCredits: boolean };
  /** The team's subscription while it is live (active, trialing or past due), else null: the team is on Free. */
  subscription: {
    id: string;
    status: SubscriptionStatus;
    billingCycle: BillingCycle;
    currentPeriodStart: Date;
    currentPeriodEnd: Date;
    cancelAtPeriodEnd: boolean;
  } | null;
  free: boolean;
  canBuyCredits: boolean;
  /**
   * The current cycle of monthly credits and usage: the subscription period when it covers now (for an annual plan,
   * the month of it that is running: its credits are monthly), else the UTC calendar month.
   */
  cycleStart: Date;
  cycleEnd: Date;
  cycleSource: "subscription" | "month";
};

const LIVE: readonly SubscriptionStatus[] = ["ACTIVE", "TRIALING", "PAST_DUE"];
// Used only when the plans migration has not run (a database migrated by an older build).
const FREE_FALLBACK = { id: "free", name: "Free", monthlyCredits: 10_000n, monthlyPriceCents: 0n, canBuyCredits: false };

/** The team's plan, live subscription and current cycle (same cycle rule as getUsageSummary). */
export async function getTeamPlan({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<TeamPlan> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: {
      subscription: {
        select: {
          id: true,
          status: true,
          billingCycle: true,
          currentPeriodStart: true,
          currentPeriodEnd: true,
          cancelAtPeriodEnd: true,
          plan: { select: { id: true, name: true, monthlyCredits: true, monthlyPriceCents: true, canBuyCredits: true } },
        },
      },
    },
  });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const sub = team.subscription && LIVE.includes(team.subscription.status) ? team.subscription : null;
  const plan = sub ? sub.plan : ((await db.plan.findUnique({ where: { id: "free" }, select: FREE_SELECT })) ?? FREE_FALLBACK);
  const inPeriod = sub !== null && sub.currentPeriodStart <= now && sub.currentPeriodEnd > now;
  const month = inPeriod ? creditMonth({ periodStart: sub.currentPeriodStart, periodEnd: sub.currentPeriodEnd, cycle: sub.billingCycle, at: now }) : null;
  const { plan: _plan, ...subscription } = sub ?? { plan: null };
  return {
    plan,
    subscription: sub ? (subscription as NonNullable<TeamPlan["subscription"]>) : null,
    free: sub === null || plan.id === "free",
    canBuyCredits: sub !== null && plan.canBuyCredits,
    cycleStart: month ? month.start : startOfUtcMonth(now),
    cycleEnd: month ? month.end : endOfUtcMonth(now),
    cycleSource: inPeriod ? "subscription" : "month",
  };
}

const FREE_SELECT = { id: true, name: true, monthlyCredits: true, monthlyPriceCents: true, canBuyCredits: true } as const;
