import type Stripe from "stripe";
import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { getSavedCard, type SavedCard } from "../../stripe/saved-card";

export type { SavedCard };

/**
 * The card Buy Credit and auto top-up charge for the actor's team, or null when it has none: billing data, so
 * FORBIDDEN without billing:read. STRIPE_UNAVAILABLE when Stripe cannot be read.
 */
export async function readSavedCard({ db, stripe, actor }: { db: Tx; stripe: () => Stripe; actor: Actor }): Promise<SavedCard | null> {
  requirePermission(actor, "billing:read");
  const team = await db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { stripeCustomerId: true } });
  if (!team.stripeCustomerId) return null;
  return getSavedCard({ stripe: stripe(), customerId: team.stripeCustomerId });
}
