import type Stripe from "stripe";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { isBillingError } from "../billing/errors";
import { stripeEventHandlers } from "./event-handlers";

/** Seconds a signed webhook stays acceptable (Stripe's default); older ones are replays. */
export const WEBHOOK_TOLERANCE_S = 300;

export type WebhookResponse = { status: number; body: Record<string, unknown> };

/**
 * Verifies a webhook on its raw body and applies it once. The event id is inserted into stripe_events in the same
 * transaction as the event's effects: a repeat (or a concurrent twin) finds the id and changes nothing; a failure
 * rolls both back and answers 500 so Stripe delivers again.
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
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(rawBody, signature, secret, tolerance);
  } catch (e) {
    return { status: 400, body: { error: { code: "BAD_SIGNATURE", message: `Webhook signature verification failed: ${(e as Error).message}` } } };
  }
  return processStripeEvent({ db, stripe, event });
}

/** Applies one verified event (exported for tests and for replaying stored events). */
export async function processStripeEvent({ db, stripe, event }: { db: Db; stripe: Stripe; event: Stripe.Event }): Promise<WebhookResponse> {
  if (typeof event?.id !== "string" || typeof event.type !== "string") return { status: 400, body: { error: { code: "BAD_EVENT", message: "Not a Stripe event." } } };
  const handler = stripeEventHandlers[event.type];
  try {
    if (await db.stripeEvent.findUnique({ where: { id: event.id }, select: { id: true } })) {
      return { status: 200, body: { received: true, duplicate: true } };
    }
    const prepared = handler?.prepare ? await handler.prepare({ db, stripe, event }) : undefined;
    const result = await db.$transaction(
      async (tx) => {
        const inserted = await tx.stripeEvent.createMany({
          data: [{ id: event.id, type: event.type, livemode: event.livemode === true, payload: event as unknown as Prisma.InputJsonValue, processedAt: new Date() }],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return { duplicate: true, outcome: "duplicate" };
        const outcome = handler ? await handler.apply({ tx, event, prepared }) : "ignored: unused type";
        return { duplicate: false, outcome };
      },
      { maxWait: 15_000, timeout: 30_000 },
    );
    return { status: 200, body: { received: true, ...result } };
  } catch (e) {
    const code = isBillingError(e) ? e.code : "INTERNAL";
    console.error(`[creditdesk] Stripe event ${event.id} (${event.type}) failed, Stripe will retry:`, e);
    return { status: 500, body: { error: { code, message: "The event could not be processed; it will be retried." } } };
  }
}
