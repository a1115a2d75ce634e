import type { Db } from "../../db/client";
import { BillingError } from "../errors";
import type { CardGateway, SavedCard } from "./card-port";
import { getSavedCard } from "./get-saved-card";

/**
 * Back from card setup: the session must be this team's and complete; its card becomes the customer's default, which
 * Buy Credit and auto top-up charge. Returns the saved card, or null when the session did not finish.
 */
export async function finishCardSetup({
  db,
  gateway,
  teamId,
  sessionId,
}: {
  db: Db;
  gateway: CardGateway;
  teamId: string;
  sessionId: string;
}): Promise<SavedCard | null> {
  const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { stripeCustomerId: true } });
  const setup = await gateway.readCardSetup(sessionId);
  const customer = setup.customerId;
  if (setup.mode !== "setup" || setup.metadata.team_id !== teamId || !customer || customer !== team.stripeCustomerId) {
    throw new BillingError("NOT_FOUND", "That card setup does not belong to this team.");
  }
  const pm = setup.setupIntent?.status === "succeeded" ? setup.setupIntent.paymentMethodId : null;
  if (setup.status !== "complete" || !pm) return null;
  await gateway.makeDefaultCard(customer, pm);
  return getSavedCard({ gateway, customerId: customer });
}
