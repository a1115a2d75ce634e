import { Webhook } from "standardwebhooks";
import type { Db } from "../../db/client";
import { processQueue, type Queue } from "../../jobs/queue";
import { disableFailingEndpoint } from "./disable-failing-endpoint";
import { deliverJobKey } from "./emit-event";
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from "./event-types";
import { postWebhook } from "./post-webhook";
import { nextAttemptAt, type WebhookSettings, webhookSettings } from "./webhook-settings";

export type DeliverOutcome =
  /** Nothing was attempted: no such delivery, already done, not yet due, or another worker holds this attempt. */
  | "skipped"
  /** The endpoint is disabled: the delivery stopped (FAILED) without an attempt. */
  | "stopped"
  | "succeeded"
  /** The attempt failed and the next one is scheduled. */
  | "retrying"
  /** The attempt failed and was the last of the schedule (or manual). */
  | "failed";

type Claimed = { attempts: number; auto_attempts: number; status: string };

/** How long a claimed attempt holds its delivery: past it (the worker died) the sweep hands the attempt to another. */
const leaseMs = (s: WebhookSettings) => s.timeoutMs + 60_000;

/**
 * The body every endpoint receives (documented in README "Webhooks"): `id` is the event's id (also the `webhook-id`
 * header, stable across retries and resends), `created_at` when the billing fact happened, `data` the event's fields.
 */
export function webhookBody(event: { id: string; type: string; createdAt: Date; data: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, created_at: event.createdAt.toISOString(), data: event.data });
}

/**
 * One attempt of one delivery, the job queue's `webhook-deliver`. An automatic attempt first claims the delivery with
 * a conditional UPDATE (PENDING, due, endpoint enabled), which also pushes its due time past a lease: so two workers
 * (or a worker and the sweep) never make the same attempt. The POST is signed per Standard Webhooks and guarded
 * (post-webhook.ts). Then, in one transaction: the attempt is recorded; a 2xx makes the delivery SUCCEEDED and clears
 * the endpoint's failing_since; a failure schedules the next attempt on the queue (startAfter), or makes the delivery
 * FAILED when the schedule is exhausted, and disables an endpoint that has failed for too long.
 * A manual attempt (Resend) is made whatever the delivery's status and leaves its schedule alone.
 */
export async function deliverWebhook({
  db,
  deliveryId,
  manual = false,
  settings = webhookSettings(),
  queue = processQueue(),
  clock = () => new Date(),
}: {
  db: Db;
  deliveryId: string;
  manual?: boolean;
  settings?: WebhookSettings;
  queue?: Queue | null;
  clock?: () => Date;
}): Promise<DeliverOutcome> {
  const startedAt = clock();
  const leaseUntil = new Date(startedAt.getTime() + leaseMs(settings));
  const claimed = manual
    ? await db.$queryRaw<Claimed[]>`
        UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = ${startedAt}
          FROM webhook_endpoints e
         WHERE d.id = ${deliveryId} AND e.id = d.endpoint_id AND e.status = 'ENABLED'
        RETURNING d.attempts, d.auto_attempts, d.status::text`
    : await db.$queryRaw<Claimed[]>`
        UPDATE webhook_deliveries d
           SET attempts = d.attempts + 1, auto_attempts = d.auto_attempts + 1, last_attempt_at = ${startedAt}, next_attempt_at = ${leaseUntil}
          FROM webhook_endpoints e
         WHERE d.id = ${deliveryId} AND e.id = d.endpoint_id AND e.status = 'ENABLED'
           AND d.status = 'PENDING' AND d.next_attempt_at <= ${startedAt}
        RETURNING d.attempts, d.auto_attempts, d.status::text`;
  const claim = claimed[0];
  if (!claim) return stopIfEndpointDisabled(db, deliveryId, manual, startedAt);

  const delivery = await db.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: { event: { select: { id: true, type: true, createdAt: true, data: true } }, endpoint: { select: { id: true, url: true, secret: true } } },
  });
  const { event, endpoint } = delivery;
  const body = webhookBody(event);
  const sentAt = clock();
  const signature = new Webhook(endpoint.secret, { format: "raw" }).sign(event.id, sentAt, body);
  const outcome = await postWebhook({
    url: endpoint.url,
    body,
    headers: {
      "user-agent": "Creditdesk-Webhooks/1",
      "webhook-id": event.id,
      "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "webhook-signature": signature,
    },
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    allowPrivate: settings.allowPrivate,
  });
  const ok = outcome.error === null;
  const now = clock();
  const last = { lastStatusCode: outcome.statusCode, lastLatencyMs: outcome.latencyMs, lastError: outcome.error, lastAttemptAt: startedAt };

  return db.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        deliveryId,
        number: claim.attempts,
        statusCode: outcome.statusCode,
        latencyMs: outcome.latencyMs,
        error: outcome.error,
        manual,
        attemptedAt: startedAt,
      },
    });
    if (ok) {
      await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { ...last, status: "SUCCEEDED", deliveredAt: now, nextAttemptAt: null } });
      await tx.webhookEndpoint.updateMany({ where: { id: endpoint.id, failingSince: { not: null } }, data: { failingSince: null } });
      return "succeeded";
    }
    let result: DeliverOutcome = "failed";
    if (manual) {
      await tx.webhookDelivery.update({ where: { id: deliveryId }, data: last });
    } else {
      const next = nextAttemptAt(settings, claim.auto_attempts, now);
      // Conditional: a Resend that succeeded meanwhile keeps its SUCCEEDED.
      await tx.webhookDelivery.updateMany({
        where: { id: deliveryId, status: "PENDING" },
        data: { ...last, ...(next ? { nextAttemptAt: next } : { status: "FAILED", nextAttemptAt: null }) },
      });
      if (next) {
        result = "retrying";
        await queue?.send<WebhookDeliverJob>(
          WEBHOOK_DELIVER_JOB,
          { deliveryId },
          { startAfter: next, singletonKey: deliverJobKey(deliveryId, claim.auto_attempts + 1) },
          tx,
        );
      }
    }
    // Only an automatic failure starts the disable clock: each is followed by a retry that stops or clears it, while a
    // failed Resend has no follow-up, and its clock would turn the endpoint off at the next single failure days later.
    if (manual) return result;
    const [ep] = await tx.$queryRaw<{ failing_since: Date }[]>`
      UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, ${startedAt}) WHERE id = ${endpoint.id} AND status = 'ENABLED'
      RETURNING failing_since`;
    if (ep && now.getTime() - ep.failing_since.getTime() >= settings.disableAfterMs) {
      await disableFailingEndpoint({ tx, endpointId: endpoint.id, failingSince: ep.failing_since, now });
    }
    return result;
  });
}

/** An unclaimable delivery of a disabled endpoint stops (FAILED); a manual attempt on one is recorded as refused. */
async function stopIfEndpointDisabled(db: Db, deliveryId: string, manual: boolean, now: Date): Promise<DeliverOutcome> {
  const found = await db.webhookDelivery.findUnique({ where: { id: deliveryId }, select: { status: true, endpoint: { select: { status: true } } } });
  if (!found || found.endpoint.status !== "DISABLED") return "skipped";
  const error = "The endpoint is disabled; enable it to deliver again.";
  if (manual) {
    await db.$transaction(async (tx) => {
      const [d] = await tx.$queryRaw<{ attempts: number }[]>`
        UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = ${now}, last_status_code = NULL, last_latency_ms = 0, last_error = ${error}
         WHERE id = ${deliveryId} RETURNING attempts`;
      if (d)
        await tx.webhookAttempt.create({ data: { deliveryId, number: d.attempts, statusCode: null, latencyMs: 0, error, manual: true, attemptedAt: now } });
    });
    return "failed";
  }
  if (found.status !== "PENDING") return "skipped";
  await db.webhookDelivery.updateMany({ where: { id: deliveryId, status: "PENDING" }, data: { status: "FAILED", nextAttemptAt: null, lastError: error } });
  return "stopped";
}
