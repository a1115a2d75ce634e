import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { endpointSelect, endpointView, teamOf, type WebhookEndpointView } from "./endpoint-view";

/** One endpoint of the actor's team; another team's id is NOT_FOUND, as an unknown one. Needs billing:read. */
export async function getWebhookEndpoint({ db, actor, endpointId }: { db: Tx; actor: Actor; endpointId: string }): Promise<WebhookEndpointView> {
  const teamId = teamOf(actor, "billing:read");
  const row = await db.webhookEndpoint.findFirst({ where: { id: endpointId, teamId }, select: endpointSelect });
  if (!row) throw new BillingError("NOT_FOUND", "No such webhook endpoint in this team.");
  return endpointView(row);
}
