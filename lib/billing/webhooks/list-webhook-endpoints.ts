import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { endpointSelect, endpointView, teamOf, type WebhookEndpointView } from "./endpoint-view";

/** The actor's team's webhook endpoints, oldest first (at most 20), without their secrets. Needs billing:read. */
export async function listWebhookEndpoints({ db, actor }: { db: Tx; actor: Actor }): Promise<WebhookEndpointView[]> {
  const teamId = teamOf(actor, "billing:read");
  const rows = await db.webhookEndpoint.findMany({ where: { teamId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: endpointSelect });
  return rows.map(endpointView);
}
