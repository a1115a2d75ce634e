import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { CardGateway, SavedCard } from "./card-port";
import { getSavedCard } from "./get-saved-card";

export type { SavedCard };

/**
 * The card Buy Credit and auto top-up charge for the actor's team, or null when it has none: billing data, so
 * FORBIDDEN without billing:read. STRIPE_UNAVAILABLE when Stripe cannot be read.
 */
export async function readSavedCard({ db, gateway, actor }: { db: Tx; gateway: () => CardGateway; actor: Actor }): Promise<SavedCard | null> {
  requirePermission(actor, "billing:read");
  const team = await db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { stripeCustomerId: true } });
  if (!team.stripeCustomerId) return null;
  return getSavedCard({ gateway: gateway(), customerId: team.stripeCustomerId });
}
