import type { Tx } from "../../db/client";
import type { CustomerGateway } from "./card-port";

/** The team's Stripe customer, made on first need (one per team: Stripe idempotency key and a conditional update). */
export async function ensureStripeCustomer({
  db,
  gateway,
  team,
  email,
}: {
  db: Tx;
  gateway: CustomerGateway;
  team: { id: string; name: string; stripeCustomerId: string | null };
  email: string | null;
}): Promise<string> {
  if (team.stripeCustomerId) return team.stripeCustomerId;
  const customerId = await gateway.createCustomer({ name: team.name, email, metadata: { team_id: team.id }, idempotencyKey: `team-customer:${team.id}` });
  await db.team.updateMany({ where: { id: team.id, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
  const saved = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { stripeCustomerId: true } });
  return saved.stripeCustomerId ?? customerId;
}
