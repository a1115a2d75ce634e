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
  teamOf,
  type WebhookEndpointView,
} from "./endpoint-view";

/** What may change; an omitted field stays as it is. `enabled: true` clears why it was off and since when it failed. */
export type UpdateWebhookEndpointInput = { url?: unknown; events?: unknown; secret?: unknown; description?: unknown; enabled?: unknown };

/** Changes an endpoint of the actor's team (billing:write). Audit-logged with what changed, never the secret itself. */
export async function updateWebhookEndpoint({
  db,
  actor,
  endpointId,
  input,
  allowPrivate,
}: {
  db: Tx;
  actor: Actor;
  endpointId: string;
  input: UpdateWebhookEndpointInput;
  allowPrivate?: boolean;
}): Promise<WebhookEndpointView> {
  const teamId = teamOf(actor, "billing:write");
  const url = input.url === undefined ? undefined : await checkedUrl(input.url, allowPrivate);
  const events = input.events === undefined ? undefined : checkedEvents(input.events);
  const secret = input.secret === undefined ? undefined : checkedSecret(input.secret);
  const description = input.description === undefined ? undefined : checkedDescription(input.description);
  if (input.enabled !== undefined && typeof input.enabled !== "boolean")
    throw new BillingError("VALIDATION_FAILED", "enabled: must be true or false", { field: "enabled" });
  const enabled = input.enabled;
  return withTx(db, async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM webhook_endpoints WHERE id = ${endpointId} AND team_id = ${teamId} FOR UPDATE`;
    if (locked.length === 0) throw new BillingError("NOT_FOUND", "No such webhook endpoint in this team.");
    const before = endpointView(await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId }, select: endpointSelect }));
    const status =
      enabled === undefined
        ? {}
        : enabled
          ? before.status === "enabled"
            ? {}
            : { status: "ENABLED" as const, disabledReason: null, failingSince: null }
          : before.status === "disabled"
            ? {}
            : { status: "DISABLED" as const, disabledReason: "OWNER" };
    const row = await tx.webhookEndpoint.update({
      where: { id: endpointId },
      data: {
        ...(url !== undefined && { url }),
        ...(events && { events }),
        ...(secret && { secret }),
        ...(description !== undefined && { description }),
        ...status,
      },
      select: endpointSelect,
    });
    const after = endpointView(row);
    // A change that changes nothing (the same values sent again) leaves no audit row.
    if (secret === undefined && JSON.stringify(auditFacts(before)) === JSON.stringify(auditFacts(after))) return after;
    await tx.auditLog.create({
      data: {
        teamId,
        ...auditActor(actor),
        action: "webhook_endpoint.updated",
        targetType: "webhook_endpoint",
        targetId: row.id,
        data: {
          url: after.url,
          secretChanged: secret !== undefined,
          before: auditFacts(before),
          after: auditFacts(after),
        },
      },
    });
    return after;
  });
}

const auditFacts = (v: WebhookEndpointView) => ({
  url: v.url,
  events: v.events,
  description: v.description,
  status: v.status === "enabled" ? "enabled" : v.disabledReason === "failing" ? "disabled_failing" : "disabled",
});
