import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "@/lib/billing/webhooks/event-types";
import { defineRoute, isoDate, pageLimit } from "@/lib/edge/contract";

// Outgoing billing webhooks, as the seed subscribes to them: POST /api/v1/webhooks with url, events and a shared secret
// of at least 32 characters; plus list, read, change and delete. The secret is never answered back: secret_hint shows
// its last four characters. The dashboard's routes (app/api/teams/[team]/webhooks) answer the same shapes.

const eventType = z.enum(WEBHOOK_EVENT_TYPES, {
  error: (iss) => `"${String(iss.input).slice(0, 60)}" is not an event type; use any of ${WEBHOOK_EVENT_TYPES.join(", ")}`,
});

const url = z.string({ error: "must be the URL that receives the events" }).max(2048, "must be at most 2048 characters");
const events = z
  .array(eventType, { error: "must be a list of event types" })
  .min(1, "choose at least one event type")
  .max(WEBHOOK_EVENT_TYPES.length, "lists an event type twice");
const secret = z
  .string({ error: "must be a shared secret of at least 32 characters" })
  .min(32, "must be at least 32 characters")
  .max(256, "must be at most 256 characters");
const description = z.string({ error: "must be text" }).max(200, "must be at most 200 characters").nullable().optional();

export const createWebhookBody = z.strictObject({ url, events, secret, description });

/** Omitted fields stay as they are; enabled: true turns an endpoint back on (also one disabled after failures). */
export const updateWebhookBody = z.strictObject({
  url: url.optional(),
  events: events.optional(),
  secret: secret.optional(),
  description,
  enabled: z.boolean({ error: "must be true or false" }).optional(),
});

export const webhookEndpointAnswer = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  status: z.enum(["enabled", "disabled"]),
  /** owner: turned off by a person; failing: turned off by Creditdesk after sustained failure. */
  disabled_reason: z.enum(["owner", "failing"]).nullable(),
  failing_since: isoDate().nullable(),
  secret_hint: z.string(),
  created_at: isoDate(),
  updated_at: isoDate(),
});

export const webhookDeliveryAnswer = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_latency_ms: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: isoDate(),
  last_attempt_at: isoDate().nullable(),
  next_attempt_at: isoDate().nullable(),
  delivered_at: isoDate().nullable(),
});

export const webhookEndpointListAnswer = z.object({ webhooks: z.array(webhookEndpointAnswer) });

export const deliveriesQuery = z.object({
  limit: pageLimit(100, 20),
  cursor: z.string().max(100, "is not a delivery id").optional(),
});

export const deliveriesAnswer = z.object({ deliveries: z.array(webhookDeliveryAnswer), has_more: z.boolean(), next_cursor: z.string().nullable() });

export const resendAnswer = z.object({ delivery_id: z.string(), status: z.literal("queued") });

export const v1CreateWebhookRoute = defineRoute({ method: "POST", path: "/api/v1/webhooks", body: createWebhookBody, output: webhookEndpointAnswer });

export const v1WebhooksRoute = defineRoute({ method: "GET", path: "/api/v1/webhooks", output: webhookEndpointListAnswer });

export const webhookAttemptAnswer = z.object({
  number: z.number().int(),
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int(),
  error: z.string().nullable(),
  manual: z.boolean(),
  attempted_at: isoDate(),
});

export const deliveryAttemptsAnswer = z.object({
  delivery: webhookDeliveryAnswer.extend({ endpoint_id: z.string() }),
  attempts: z.array(webhookAttemptAnswer),
});
