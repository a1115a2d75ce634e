import type { WebhookEndpointView } from "@/lib/billing/webhooks/endpoint-view";
import type { WebhookDeliveryView } from "@/lib/billing/webhooks/list-webhook-deliveries";
import type { z } from "zod";
import type { webhookDeliveryAnswer, webhookEndpointAnswer } from "./contract";

/** An endpoint as the API and the settings page answer it: the secret only as its last four characters. */
export const endpointShape = (v: WebhookEndpointView): z.output<typeof webhookEndpointAnswer> => ({
  id: v.id,
  url: v.url,
  description: v.description,
  events: v.events,
  status: v.status,
  disabled_reason: v.disabledReason,
  failing_since: v.failingSince,
  secret_hint: `…${v.secretLast4}`,
  created_at: v.createdAt,
  updated_at: v.updatedAt,
});

export const deliveryShape = (d: WebhookDeliveryView): z.output<typeof webhookDeliveryAnswer> => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  last_status_code: d.lastStatusCode,
  last_latency_ms: d.lastLatencyMs,
  last_error: d.lastError,
  created_at: d.createdAt,
  last_attempt_at: d.lastAttemptAt,
  next_attempt_at: d.nextAttemptAt,
  delivered_at: d.deliveredAt,
});

/** A page of deliveries (listWebhookDeliveries) as the API and the settings page answer it. */
export const deliveriesPageShape = (p: { deliveries: WebhookDeliveryView[]; hasMore: boolean; nextCursor: string | null }) => ({
  deliveries: p.deliveries.map(deliveryShape),
  has_more: p.hasMore,
  next_cursor: p.nextCursor,
});
