import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { isBillingError } from "../errors";
import { applySubscriptionState, subscriptionActor } from "./apply-subscription-state";
import { readSubscriptionState, type SeedSubscriptionStatus } from "./read-subscription-state";
import type { SubscriptionChangeGateway, SubscriptionGateway } from "./subscription-port";

export type SubscriptionCheckoutReturn =
  /** Not a subscription checkout of the actor's team (or not a session id): nothing was applied. */
  | { found: false }
  /** checkout: Stripe's session status (complete, open, expired); stripeDown: the webhooks will finish the job. */
  | { found: true; checkout: string | null; status: SeedSubscriptionStatus | null; stripeDown: boolean };

const SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

/**
 * Where subscription Checkout sends the person back (/t/<team>/subscription?checkout=<id>), billing:read: applies the
 * new subscription here too (idempotently, as the webhooks do), so the page shows the plan at once. Only the team's own
 * session counts: its customer must be the team's and its metadata name the team. The plan still changes only when
 * Stripe says the subscription is active.
 */
export async function returnFromSubscriptionCheckout({
  db,
  gateway,
  actor,
  sessionId,
  now = new Date(),
}: {
  db: Db;
  gateway: SubscriptionGateway & SubscriptionChangeGateway;
  actor: Actor;
  sessionId: unknown;
  now?: Date;
}): Promise<SubscriptionCheckoutReturn> {
  requirePermission(actor, "billing:read");
  if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) return { found: false };
  const team = await db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { stripeCustomerId: true } });
  if (!team.stripeCustomerId) return { found: false };
  let stripeDown = false;
  let checkout: string | null = null;
  try {
    const s = await gateway.readSubscriptionCheckout(sessionId);
    if (!s || s.mode !== "subscription" || s.customerId !== team.stripeCustomerId || s.teamId !== actor.teamId) return { found: false };
    checkout = s.status;
    if (s.status === "complete" && s.subscriptionId) {
      const fresh = await gateway.retrieveSubscription(s.subscriptionId);
      await db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: fresh, actor: subscriptionActor(actor), now }));
    }
  } catch (e) {
    if (!isBillingError(e) || e.code !== "STRIPE_UNAVAILABLE") throw e;
    stripeDown = true;
  }
  return { found: true, checkout, status: (await readSubscriptionState({ db, teamId: actor.teamId, now })).status, stripeDown };
}
