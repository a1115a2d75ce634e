import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { WebhookDeliveryStatus } from "../../db/generated/enums";
import { BillingError } from "../errors";
import { teamOf } from "./endpoint-view";

export type WebhookDeliveryView = {
  id: string;
  eventId: string;
  eventType: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
};

export const DELIVERIES_PAGE_MAX = 100;

const statusWord: Record<WebhookDeliveryStatus, WebhookDeliveryView["status"]> = { PENDING: "pending", SUCCEEDED: "succeeded", FAILED: "failed" };

export const deliverySelect = {
  id: true,
  eventId: true,
  status: true,
  attempts: true,
  lastStatusCode: true,
  lastLatencyMs: true,
  lastError: true,
  createdAt: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
  event: { select: { type: true } },
} as const;

type DeliveryRow = Omit<WebhookDeliveryView, "eventType" | "status"> & { status: WebhookDeliveryStatus; event: { type: string } };

export function deliveryView({ event, status, ...row }: DeliveryRow): WebhookDeliveryView {
  return { ...row, eventType: event.type, status: statusWord[status] };
}

/**
 * The deliveries to one endpoint of the actor's team (billing:read), newest first, `limit` a page (1..100), after the
 * delivery `cursor` (the last id of the previous page): keyset on (created_at, id), so a deep page costs what the first
 * does. Another team's endpoint, or a cursor not of this endpoint, is NOT_FOUND.
 */
export async function listWebhookDeliveries({
  db,
  actor,
  endpointId,
  limit = 20,
  cursor,
}: {
  db: Tx;
  actor: Actor;
  endpointId: string;
  limit?: number;
  cursor?: string | null;
}): Promise<{ deliveries: WebhookDeliveryView[]; hasMore: boolean; nextCursor: string | null }> {
  const teamId = teamOf(actor, "billing:read");
  if (!Number.isInteger(limit) || limit < 1 || limit > DELIVERIES_PAGE_MAX)
    throw new BillingError("VALIDATION_FAILED", `limit: must be a whole number from 1 to ${DELIVERIES_PAGE_MAX}`, { field: "limit" });
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id: endpointId, teamId }, select: { id: true } });
  if (!endpoint) throw new BillingError("NOT_FOUND", "No such webhook endpoint in this team.");
  let after = {};
  if (cursor) {
    const at = await db.webhookDelivery.findFirst({ where: { id: cursor, endpointId }, select: { id: true, createdAt: true } });
    if (!at) throw new BillingError("VALIDATION_FAILED", "cursor: is not a delivery of this endpoint", { field: "cursor" });
    after = { OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] };
  }
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId, ...after },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: deliverySelect,
  });
  const page = rows.slice(0, limit).map(deliveryView);
  const hasMore = rows.length > limit;
  return { deliveries: page, hasMore, nextCursor: hasMore ? (page.at(-1)?.id ?? null) : null };
}
