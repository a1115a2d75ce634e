import { type Actor, can, requirePermission } from "../../auth/permissions";
import { isBillingError } from "../errors";
import type { Tx } from "../../db/client";
import type { CardGateway, SavedCard } from "../cards/card-port";
import { getDrawSummary, type DrawSummary } from "../statements/get-draw-summary";
import { listPlanOffers, type PlanOffer } from "./plan-offers";
import { readSubscriptionState, type SubscriptionState } from "./read-subscription-state";
import type { SubscriptionChangeGateway } from "./subscription-port";

export type { PlanKind, PlanOffer } from "./plan-offers";

/** The contract's shape (subscriptionView in app/api/teams/[team]/subscription/contract.ts): cycles in lower case. */
export type SubscriptionView = Omit<SubscriptionState, "billingCycle"> & {
  billingCycle: "monthly" | "annual" | null;
  paymentMethod: Pick<SavedCard, "brand" | "last4" | "expMonth" | "expYear"> | null;
  /** Stripe's preview of the next invoice; null with no subscription, one that ends, or no Stripe on this installation. */
  nextInvoice: { amountCents: bigint; date: Date } | null;
  portalEnabled: boolean;
  /** What is drawn below zero and billed at the cycle's end; null without billing:read. */
  draw: DrawSummary | null;
  canManage: boolean;
  plans: PlanOffer[];
};

/**
 * The Subscription page's whole view: the copied subscription state, plus the card on file and the next invoice read
 * from Stripe. Any member may see the plan (team:read; the page is read-only without billing:write); the card and the
 * next invoice are billing data, shown only with billing:read. `gateway` is null when Stripe is not configured, and
 * when Stripe cannot be reached those two are left out rather than failing the page.
 */
export async function getSubscriptionView({
  db,
  gateway,
  actor,
  now = new Date(),
}: {
  db: Tx;
  gateway: (CardGateway & SubscriptionChangeGateway) | null;
  actor: Actor;
  now?: Date;
}): Promise<SubscriptionView> {
  requirePermission(actor, "team:read");
  const [state, plans, team, row, draw] = await Promise.all([
    readSubscriptionState({ db, teamId: actor.teamId, now }),
    listPlanOffers(db, actor.teamId),
    db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { stripeCustomerId: true } }),
    db.subscription.findUnique({ where: { teamId: actor.teamId }, select: { stripeSubscriptionId: true, plan: { select: { portalEnabled: true } } } }),
    can(actor, "billing:read") ? getDrawSummary({ db, teamId: actor.teamId, now }) : null,
  ]);
  const customerId = team.stripeCustomerId;
  const renews = state.status !== null && state.status !== "cancelled" && row?.stripeSubscriptionId;
  const [card, nextInvoice] =
    gateway && customerId && can(actor, "billing:read")
      ? await Promise.all([
          gateway.findSavedCard(customerId),
          renews ? gateway.previewUpcomingInvoice({ customerId, subscriptionId: row!.stripeSubscriptionId! }) : Promise.resolve(null),
        ]).catch((e: unknown) => {
          if (isBillingError(e) && e.code === "STRIPE_UNAVAILABLE") return [null, null] as const;
          throw e;
        })
      : [null, null];
  return {
    ...state,
    billingCycle: state.billingCycle === "ANNUAL" ? "annual" : state.billingCycle === "MONTHLY" ? "monthly" : null,
    paymentMethod: card ? { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear } : null,
    nextInvoice,
    // The portal follows the plan the team is on now (a custom Enterprise plan may turn it off).
    portalEnabled: state.status !== null && row ? row.plan.portalEnabled : true,
    draw,
    canManage: can(actor, "billing:write"),
    plans,
  };
}
