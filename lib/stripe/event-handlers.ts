import type Stripe from "stripe";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import type { CheckoutSessionSnapshot } from "../billing/topups/checkout-session";
import { fulfilCheckout } from "../billing/topups/fulfil-checkout";
import { noteFailedAttempt } from "../billing/payments/note-failed-attempt";
import { stripeCheckoutGateway } from "./checkout-gateway";
import { ourMetadata, stripeId, stripeText } from "./event-schemas";
import { MONEY_EVENT_TYPES, moneyEvent } from "./money-event-handlers";
import { paymentIntentSucceeded } from "./purchase-event-handlers";
import { MalformedEventError } from "./read-stripe-event";
import { INVOICE_EVENT_TYPES, SUBSCRIPTION_EVENT_TYPES, subscriptionChanged, subscriptionInvoiceChanged } from "./subscription-event-handlers";

/**
 * One Stripe event type: `prepare` does the network reads (outside the database transaction, may throw to get a
 * retry), `apply` writes its effects inside the transaction that also records the event id.
 */
export type StripeEventHandler<P = unknown> = {
  prepare?: (ctx: { db: Db; stripe: Stripe; event: Stripe.Event }) => Promise<P>;
  apply: (ctx: { tx: Tx; event: Stripe.Event; prepared: P }) => Promise<string>;
};

// Event bodies are parsed, not trusted: only the fields used, with their types checked.
const sessionBody = z.object({ id: stripeId, mode: z.string().max(64).nullish(), metadata: ourMetadata });
const paymentIntentBody = z.object({
  id: stripeId,
  metadata: ourMetadata,
  last_payment_error: z.object({ message: stripeText(500).nullish() }).nullish(),
});

type CheckoutPrepared = { session: CheckoutSessionSnapshot } | { skip: string };

/** Re-reads a session we know from Stripe; sessions of other integrations (or other modes) are left alone. */
async function prepareCheckout({ db, stripe, event }: { db: Db; stripe: Stripe; event: Stripe.Event }): Promise<CheckoutPrepared> {
  const body = sessionBody.safeParse(event.data.object);
  if (!body.success) throw new MalformedEventError("checkout session");
  if (body.data.mode && body.data.mode !== "payment") return { skip: `mode ${body.data.mode}` };
  const known = await db.payment.findFirst({
    where: {
      OR: [
        { stripeCheckoutSession: body.data.id },
        ...(body.data.metadata.paymentId ? [{ id: body.data.metadata.paymentId, stripeCheckoutSession: null }] : []),
      ],
    },
    select: { id: true },
  });
  if (!known) return { skip: "not a Creditdesk top-up" };
  return { session: await stripeCheckoutGateway(stripe).retrieveCheckoutSession(body.data.id) };
}

const checkoutHandler = (asyncFailed: boolean): StripeEventHandler<CheckoutPrepared> => ({
  prepare: prepareCheckout,
  apply: async ({ tx, prepared }) => {
    if ("skip" in prepared) return `ignored: ${prepared.skip}`;
    const r = await fulfilCheckout({ db: tx, session: prepared.session, asyncFailed });
    return `${r.outcome}${r.payment ? ` ${r.payment.id}` : ""}`;
  },
});

const paymentFailed: StripeEventHandler = {
  apply: async ({ tx, event }) => {
    const pi = paymentIntentBody.safeParse(event.data.object);
    if (!pi.success) throw new MalformedEventError("payment intent");
    if (!pi.data.metadata.paymentId || !pi.data.metadata.teamId) return "ignored: not a Creditdesk payment";
    const noted = await noteFailedAttempt({
      db: tx,
      paymentId: pi.data.metadata.paymentId,
      teamId: pi.data.metadata.teamId,
      paymentIntentId: pi.data.id,
      message: pi.data.last_payment_error?.message ?? "The payment attempt failed.",
    });
    return noted ? "noted" : "ignored";
  },
};

/** A handler with its prepared-value type forgotten, so handlers of different types share one table. */
export type AnyStripeEventHandler = StripeEventHandler<unknown>;
const erase = <P>(h: StripeEventHandler<P>): AnyStripeEventHandler => h as unknown as AnyStripeEventHandler;

/** Event types Creditdesk acts on; every other verified event is recorded and answered 200. */
export const stripeEventHandlers: Partial<Record<string, AnyStripeEventHandler>> = {
  "checkout.session.completed": erase(checkoutHandler(false)),
  "checkout.session.async_payment_succeeded": erase(checkoutHandler(false)),
  "checkout.session.async_payment_failed": erase(checkoutHandler(true)),
  "checkout.session.expired": erase(checkoutHandler(false)),
  // Refunds and disputes: lib/stripe/money-event-handlers.ts.
  ...Object.fromEntries(MONEY_EVENT_TYPES.map((t) => [t, erase(moneyEvent)])),
  "payment_intent.payment_failed": paymentFailed,
  // Buy Credit and auto top-up (off-session charges) and subscription invoices: lib/stripe/purchase-event-handlers.ts.
  "payment_intent.succeeded": erase(paymentIntentSucceeded),
  // Subscriptions and their invoices: copied from Stripe as it is now (lib/stripe/subscription-event-handlers.ts).
  ...Object.fromEntries(INVOICE_EVENT_TYPES.map((t) => [t, erase(subscriptionInvoiceChanged)])),
  ...Object.fromEntries(SUBSCRIPTION_EVENT_TYPES.map((t) => [t, erase(subscriptionChanged)])),
};
