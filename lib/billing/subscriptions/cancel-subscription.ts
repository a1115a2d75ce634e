import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { BillingError } from "../errors";
import { applySubscriptionState, subscriptionActor } from "./apply-subscription-state";
import { readSubscriptionState, type SeedSubscriptionStatus } from "./read-subscription-state";
import type { SubscriptionChangeGateway, SubscriptionGateway } from "./subscription-port";

/**
 * Cancels the actor's team's subscription at the end of the paid period (Stripe cancel_at_period_end): service
 * continues until then (status "cancelled"), subscribing again to the same plan reactivates it, and afterwards the
 * team is on Free. Cancelling again answers the same. NOT_FOUND when there is no paid subscription.
 */
export async function cancelSubscription({
  db,
  gateway,
  actor,
  now = new Date(),
}: {
  db: Db;
  gateway: SubscriptionGateway & SubscriptionChangeGateway;
  actor: Actor;
  now?: Date;
}): Promise<{ status: SeedSubscriptionStatus | null; periodEnd: Date | null }> {
  requirePermission(actor, "billing:write");
  const row = await db.subscription.findUnique({ where: { teamId: actor.teamId } });
  const live = row?.stripeSubscriptionId && ["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID"].includes(row.status) ? row : null;
  if (!live) throw new BillingError("NOT_FOUND", "There is no paid subscription to cancel; the team is on Free.");
  if (!live.cancelAtPeriodEnd) {
    // The key names the period: cancelling twice in one period is one request, a later period's cancel a new one.
    await gateway.setCancelAtPeriodEnd(
      live.stripeSubscriptionId!,
      true,
      `sub-cancel:${live.stripeSubscriptionId}:${live.currentPeriodEnd.getTime()}:${live.updatedAt.getTime()}`,
    );
    const fresh = await gateway.retrieveSubscription(live.stripeSubscriptionId!);
    await db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: fresh, actor: subscriptionActor(actor), now }));
  }
  const state = await readSubscriptionState({ db, teamId: actor.teamId, now });
  return { status: state.status, periodEnd: state.periodEnd };
}
