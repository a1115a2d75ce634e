import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { teamOf } from "./endpoint-view";
import { deliverySelect, deliveryView, type WebhookDeliveryView } from "./list-webhook-deliveries";

export type WebhookAttemptView = { number: number; statusCode: number | null; latencyMs: number; error: string | null; manual: boolean; attemptedAt: Date };

/** One delivery of the actor's team (billing:read) with every attempt, first to last; another team's is NOT_FOUND. */
export async function listDeliveryAttempts({
  db,
  actor,
  deliveryId,
}: {
  db: Tx;
  actor: Actor;
  deliveryId: string;
}): Promise<{ delivery: WebhookDeliveryView & { endpointId: string }; attempts: WebhookAttemptView[] }> {
  const teamId = teamOf(actor, "billing:read");
  const row = await db.webhookDelivery.findFirst({
    where: { id: deliveryId, endpoint: { teamId } },
    select: {
      ...deliverySelect,
      endpointId: true,
      tries: { orderBy: { number: "asc" }, select: { number: true, statusCode: true, latencyMs: true, error: true, manual: true, attemptedAt: true } },
    },
  });
  if (!row) throw new BillingError("NOT_FOUND", "No such delivery for this team.");
  const { tries, endpointId, ...delivery } = row;
  return { delivery: { ...deliveryView(delivery), endpointId }, attempts: tries };
}
