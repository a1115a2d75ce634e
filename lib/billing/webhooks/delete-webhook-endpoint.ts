import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { auditActor, endpointSelect, endpointView, teamOf, type WebhookEndpointView } from "./endpoint-view";

/**
 * Deletes an endpoint of the actor's team (billing:write) with its deliveries and their attempts; pending deliveries
 * stop (the worker finds no row). The events stay: other endpoints may still receive them. Audit-logged.
 */
export async function deleteWebhookEndpoint({ db, actor, endpointId }: { db: Tx; actor: Actor; endpointId: string }): Promise<WebhookEndpointView> {
  const teamId = teamOf(actor, "billing:write");
  return withTx(db, async (tx) => {
    const row = await tx.webhookEndpoint.findFirst({ where: { id: endpointId, teamId }, select: endpointSelect });
    if (!row) throw new BillingError("NOT_FOUND", "No such webhook endpoint in this team.");
    const deleted = await tx.webhookEndpoint.deleteMany({ where: { id: endpointId, teamId } });
    if (deleted.count === 0) throw new BillingError("NOT_FOUND", "No such webhook endpoint in this team.");
    const view = endpointView(row);
    await tx.auditLog.create({
      data: {
        teamId,
        ...auditActor(actor),
        action: "webhook_endpoint.deleted",
        targetType: "webhook_endpoint",
        targetId: row.id,
        data: { url: view.url, before: { url: view.url, events: view.events, description: view.description }, after: null },
      },
    });
    return view;
  });
}
