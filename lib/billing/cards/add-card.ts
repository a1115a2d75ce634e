import type Stripe from "stripe";
import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { startCardSetup } from "../../stripe/card-setup";

/**
 * "Add a card" for the actor's team: FORBIDDEN without billing:write; the team's Stripe customer is made on first
 * need with the person's email. Answers the URL of Stripe's page, which sends them back to /buy-credit/card-saved.
 */
export async function addCard({ db, stripe, actor, appUrl }: { db: Db; stripe: () => Stripe; actor: Actor; appUrl: string }): Promise<{ url: string }> {
  requirePermission(actor, "billing:write");
  const [team, user] = await Promise.all([
    db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { id: true, slug: true, name: true, stripeCustomerId: true } }),
    actor.kind === "user" ? db.user.findUnique({ where: { id: actor.userId }, select: { email: true } }) : null,
  ]);
  return startCardSetup({ db, stripe: stripe(), team, email: user?.email ?? null, appUrl });
}
