import type { SubscriptionStatus, BillingCycle } from "../../db/generated/enums";
import { startOfUtcMonth } from "../dates";
import { creditMonth } from "../subscriptions/credit-month";

type SubscriptionCycle = {
  status: SubscriptionStatus;
  billingCycle: BillingCycle;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  canceledAt: Date | null;
};

/**
 * The last cycle boundary at or before `now`, at which a team's draw is closed into a statement: the start of the
 * running month of its subscription (a monthly period, or a month of an annual one), the period's end once it has
 * passed (a renewal Creditdesk has not heard of yet closes at the same instant), the end of a subscription that is over
 * and then each UTC month's start (the team is on Free); without a subscription, the start of the UTC month.
 * Deterministic, so every instance closes at the same boundary.
 */
export function statementBoundary(sub: SubscriptionCycle | null, now: Date): Date {
  if (!sub) return startOfUtcMonth(now);
  const end = sub.currentPeriodEnd;
  if (sub.status === "CANCELED" || sub.status === "INCOMPLETE") {
    // Once it is over the team is on Free, whose cycles are UTC months (getTeamPlan): the later of its end and the month's start.
    if (end.getTime() <= now.getTime()) return new Date(Math.max(end.getTime(), startOfUtcMonth(now).getTime()));
    const over = sub.canceledAt ?? sub.currentPeriodStart;
    return over.getTime() <= now.getTime() ? over : sub.currentPeriodStart;
  }
  if (end.getTime() <= now.getTime()) return end;
  return creditMonth({ periodStart: sub.currentPeriodStart, periodEnd: end, cycle: sub.billingCycle, at: now }).start;
}
