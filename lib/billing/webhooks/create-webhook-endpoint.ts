import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import {
  auditActor,
  checkedDescription,
  checkedEvents,
  checkedSecret,
  checkedUrl,
  endpointSelect,
  endpointView,
  MAX_WEBHOOK_ENDPOINTS_PER_TEAM,
  teamOf,
  type WebhookEndpointView,
} from "./endpoint-view";

export type CreateWebhookEndpointInput = { url: unknown; events: unknown; secret: unknown; description?: unknown };

/**
 * Subscribes a URL of the actor's team to event types (POST /api/v1/webhooks and the settings page). Needs
 * billing:write. The URL is checked against the address guard now (and again by the worker on every connection); at
 * most 20 endpoints per team. Audit-logged without the secret.
 */
export async function createWebhookEndpoint({
  db,
  actor,
  input,
  allowPrivate,
}: {
  db: Tx;
  actor: Actor;
  input: CreateWebhookEndpointInput;
  allowPrivate?: boolean;
}): Promise<WebhookEndpointView> {
  const teamId = teamOf(actor, "billing:write");
  const url = await checkedUrl(input.url, allowPrivate);
  const events = checkedEvents(input.events);
  const secret = checkedSecret(input.secret);
  const description = checkedDescription(input.description);
  return withTx(db, async (tx) => {
    // The team row's lock makes the count and the insert one step, so two at once cannot pass the limit together.
    await tx.$queryRaw`SELECT id FROM teams WHERE id = ${teamId} FOR UPDATE`;
    const count = await tx.webhookEndpoint.count({ where: { teamId } });
    if (count >= MAX_WEBHOOK_ENDPOINTS_PER_TEAM)
      throw new BillingError("CONFLICT", `A team may have at most ${MAX_WEBHOOK_ENDPOINTS_PER_TEAM} webhook endpoints; delete one first.`);
    const row = await tx.webhookEndpoint.create({
      data: { teamId, url, events, secret, description, createdByUserId: actor.kind === "user" ? actor.userId : null },
      select: endpointSelect,
    });
    await tx.auditLog.create({
      data: {
        teamId,
        ...auditActor(actor),
        action: "webhook_endpoint.created",
        targetType: "webhook_endpoint",
        targetId: row.id,
        data: { url, before: null, after: { url, events, description, status: "enabled" } },
      },
    });
    return endpointView(row);
  });
}
