import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { CardGateway, CustomerGateway } from "./card-port";
import { startCardSetup } from "./start-card-setup";

/**
 * "Add a card" for the actor's team: FORBIDDEN without billing:write; the team's Stripe customer is made on first
 * need with the person's email. Answers the URL of Stripe's page, which sends them back to /buy-credit/card-saved.
 */
export async function addCard({
  db,
  gateway,
  actor,
  appUrl,
}: {
  db: Db;
  gateway: () => CardGateway & CustomerGateway;
  actor: Actor;
  appUrl: string;
}): Promise<{ url: string }> {
  requirePermission(actor, "billing:write");
  const [team, user] = await Promise.all([
    db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { id: true, slug: true, name: true, stripeCustomerId: true } }),
    actor.kind === "user" ? db.user.findUnique({ where: { id: actor.userId }, select: { email: true } }) : null,
  ]);
  return startCardSetup({ db, gateway: gateway(), team, email: user?.email ?? null, appUrl });
}
