import Stripe from "stripe";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { isBillingError } from "../billing/errors";
import { stripeEventHandlers } from "./event-handlers";
import { clearEventFailure, recordEventFailure } from "./event-failures";
import { MalformedEventError, readStripeEvent } from "./read-stripe-event";
import { isStripeError } from "./client";

/** Seconds a signed webhook stays acceptable (Stripe's default); older ones are replays. */
export const WEBHOOK_TOLERANCE_S = 300;

export type WebhookResponse = { status: number; body: Record<string, unknown> };

/**
 * Verifies a webhook on its raw body and applies it once. The event id is inserted into stripe_events in the same
 * transaction as the event's effects: a repeat (or a concurrent twin) finds the id and changes nothing. A signed event
 * that cannot be applied is kept in stripe_event_failures (outside that transaction): a malformed one is answered
 * 2xx at once (a retry cannot mend it), any other failure 5xx so Stripe retries, until its attempts run out. Either
 * way a platform admin sees it and can replay it.
 */
export async function handleStripeWebhook({
  db,
  stripe,
  rawBody,
  signature,
  secret,
  tolerance = WEBHOOK_TOLERANCE_S,
}: {
  db: Db;
  stripe: Stripe;
  rawBody: string;
  signature: string | null;
  secret: string | null;
  tolerance?: number;
}): Promise<WebhookResponse> {
  if (!secret) {
    console.error("[creditdesk] Stripe webhook received but STRIPE_WEBHOOK_SECRET is not set");
    return { status: 500, body: { error: { code: "NOT_CONFIGURED", message: "Webhook signing secret is not configured." } } };
  }
  if (!signature) return { status: 400, body: { error: { code: "BAD_SIGNATURE", message: "Missing Stripe-Signature header." } } };
  try {
    stripe.webhooks.constructEvent(rawBody, signature, secret, tolerance);
  } catch (e) {
    // The signature is checked before the body is parsed: any other error is a signed body that is not JSON.
    if (isStripeError(e, "StripeSignatureVerificationError")) {
      return { status: 400, body: { error: { code: "BAD_SIGNATURE", message: `Webhook signature verification failed: ${e.message}` } } };
    }
  }
  const read = readStripeEvent(rawBody);
  if (!read.ok) {
    const failure = await recordEventFailure({ db, id: read.failureId, type: read.type, rawBody, error: read.error, permanent: true });
    console.error(`[creditdesk] signed Stripe event ${read.failureId} is malformed (${read.error}); kept for review, not retried`);
    return { status: 200, body: { received: true, processed: false, failure: { id: failure.id, code: "MALFORMED_EVENT", message: read.error } } };
  }
  return processStripeEvent({ db, stripe, event: read.event, rawBody });
}

/**
 * Applies one verified, well-formed event (exported for tests and for replaying kept events). `replay` reports
 * failures as they are, without counting an attempt toward parking.
 */
export async function processStripeEvent({
  db,
  stripe,
  event,
  rawBody,
  replay = false,
}: {
  db: Db;
  stripe: Stripe;
  event: Stripe.Event;
  rawBody?: string;
  replay?: boolean;
}): Promise<WebhookResponse> {
  const handler = stripeEventHandlers[event.type];
  try {
    if (await db.stripeEvent.findUnique({ where: { id: event.id }, select: { id: true } })) {
      return { status: 200, body: { received: true, duplicate: true } };
    }
    const prepared = handler?.prepare ? await handler.prepare({ db, stripe, event }) : undefined;
    const result = await db.$transaction(
      async (tx) => {
        const inserted = await tx.stripeEvent.createMany({
          data: [
            { id: event.id, type: event.type, livemode: event.livemode === true, payload: event as unknown as Prisma.InputJsonValue, processedAt: new Date() },
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return { duplicate: true, outcome: "duplicate" };
        const outcome = handler ? await handler.apply({ tx, event, prepared }) : "ignored: unused type";
        return { duplicate: false, outcome };
      },
      { maxWait: 15_000, timeout: 30_000 },
    );
    await clearEventFailure({ db, id: event.id, resolution: replay ? "replayed" : "applied on a later delivery" });
    return { status: 200, body: { received: true, ...result } };
  } catch (e) {
    const permanent = e instanceof MalformedEventError;
    const code = isBillingError(e) ? e.code : permanent ? "MALFORMED_EVENT" : "INTERNAL";
    const error = `${code}: ${(e as Error)?.message ?? String(e)}`;
    console.error(`[creditdesk] Stripe event ${event.id} (${event.type}) failed:`, e);
    if (replay) return { status: 500, body: { error: { code, message: error } } };
    try {
      const failure = await recordEventFailure({ db, id: event.id, type: event.type, rawBody: rawBody ?? JSON.stringify(event), error, permanent });
      if (failure.parkedAt) {
        return {
          status: 200,
          body: {
            received: true,
            processed: false,
            failure: { id: failure.id, code, message: permanent ? error : `Failed ${failure.attempts} times; kept for an admin to replay.` },
          },
        };
      }
    } catch (recordError) {
      console.error(`[creditdesk] could not record the failure of Stripe event ${event.id}:`, recordError);
    }
    return { status: 500, body: { error: { code, message: "The event could not be processed; it will be retried." } } };
  }
}
