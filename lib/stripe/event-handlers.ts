import type Stripe from "stripe";
import { z } from "zod";
import type { Db, Tx } from "../db/client";
import type { CheckoutSessionSnapshot } from "../billing/topups/checkout-session";
import { fulfilCheckout } from "../billing/topups/fulfil-checkout";
import { noteFailedAttempt } from "../billing/payments/note-failed-attempt";
import { closeDispute, recordDispute } from "../billing/payments/record-dispute";
import { recordRefund } from "../billing/payments/record-refund";
import { stripeCheckoutGateway } from "./checkout-gateway";
import { invoiceChanged, paymentIntentSucceeded } from "./purchase-event-handlers";

/**
 * One Stripe event type: `prepare` does the network reads (outside the database transaction, may throw to get a
 * retry), `apply` writes its effects inside the transaction that also records the event id.
 */
export type StripeEventHandler<P = unknown> = {
  prepare?: (ctx: { db: Db; stripe: Stripe; event: Stripe.Event }) => Promise<P>;
  apply: (ctx: { tx: Tx; event: Stripe.Event; prepared: P }) => Promise<string>;
};

// Event bodies are parsed, not trusted: only the fields used, with their types checked.
const idOrObject = z.union([z.string(), z.object({ id: z.string() }).transform((o) => o.id)]);
const metadata = z.record(z.string(), z.unknown()).nullish().transform((m) => {
  const out: { paymentId: string | null; teamId: string | null } = { paymentId: null, teamId: null };
  if (m && typeof m.payment_id === "string" && m.payment_id.length <= 64) out.paymentId = m.payment_id;
  if (m && typeof m.team_id === "string" && m.team_id.length <= 64) out.teamId = m.team_id;
  return out;
});
const sessionBody = z.object({ id: z.string().min(1).max(255), mode: z.string().nullish(), metadata });
const chargeBody = z.object({
  id: z.string().min(1).max(255),
  amount_refunded: z.number().int().nonnegative(),
  currency: z.string().min(3).max(3),
  payment_intent: idOrObject.nullish(),
  metadata,
});
const disputeBody = z.object({
  id: z.string().min(1).max(255),
  charge: idOrObject,
  payment_intent: idOrObject.nullish(),
  amount: z.number().int().nonnegative(),
  currency: z.string().min(3).max(3),
  status: z.string(),
});
const paymentIntentBody = z.object({
  id: z.string().min(1).max(255),
  metadata,
  last_payment_error: z.object({ message: z.string().nullish() }).nullish(),
});

type CheckoutPrepared = { session: CheckoutSessionSnapshot } | { skip: string };

/** Re-reads a session we know from Stripe; sessions of other integrations (or other modes) are left alone. */
async function prepareCheckout({ db, stripe, event }: { db: Db; stripe: Stripe; event: Stripe.Event }): Promise<CheckoutPrepared> {
  const body = sessionBody.safeParse(event.data.object);
  if (!body.success) return { skip: "unreadable checkout session" };
  if (body.data.mode && body.data.mode !== "payment") return { skip: `mode ${body.data.mode}` };
  const known = await db.payment.findFirst({
    where: { OR: [{ stripeCheckoutSession: body.data.id }, ...(body.data.metadata.paymentId ? [{ id: body.data.metadata.paymentId, stripeCheckoutSession: null }] : [])] },
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

/**
 * Money going back for a payment we have not credited yet (its checkout events still in flight): fulfil it first
 * from Stripe's state, so the clawback that follows has something to take.
 */
async function catchUpFulfilment(db: Db, stripe: Stripe, ref: { chargeId: string | null; paymentIntentId: string | null; paymentId: string | null }): Promise<void> {
  const or = [
    ...(ref.chargeId ? [{ stripeCharge: ref.chargeId }] : []),
    ...(ref.paymentIntentId ? [{ stripePaymentIntent: ref.paymentIntentId }] : []),
    ...(ref.paymentId ? [{ id: ref.paymentId }] : []),
  ];
  if (or.length === 0) return;
  const pending = await db.payment.findFirst({ where: { OR: or, status: "PENDING", stripeCheckoutSession: { not: null } } });
  if (pending?.stripeCheckoutSession) await fulfilCheckout({ db, sessionId: pending.stripeCheckoutSession, gateway: stripeCheckoutGateway(stripe) });
}

const chargeRefunded: StripeEventHandler = {
  prepare: async ({ db, stripe, event }) => {
    const c = chargeBody.safeParse(event.data.object);
    if (c.success) await catchUpFulfilment(db, stripe, { chargeId: c.data.id, paymentIntentId: c.data.payment_intent ?? null, paymentId: c.data.metadata.paymentId });
  },
  apply: async ({ tx, event }) => {
    const c = chargeBody.safeParse(event.data.object);
    if (!c.success) return "ignored: unreadable charge";
    const r = await recordRefund({
      db: tx,
      input: {
        chargeId: c.data.id,
        paymentIntentId: c.data.payment_intent ?? null,
        amountRefundedCents: BigInt(c.data.amount_refunded),
        currency: c.data.currency,
        metadataPaymentId: c.data.metadata.paymentId,
        metadataTeamId: c.data.metadata.teamId,
      },
    });
    return `${r.outcome}${r.payment ? ` ${r.payment.id}` : ""}`;
  },
};

const disputeInput = (d: z.infer<typeof disputeBody>) => ({
  disputeId: d.id,
  chargeId: d.charge,
  paymentIntentId: d.payment_intent ?? null,
  amountCents: BigInt(d.amount),
  currency: d.currency,
});

const disputeHandler = (closed: boolean): StripeEventHandler => ({
  prepare: async ({ db, stripe, event }) => {
    const d = disputeBody.safeParse(event.data.object);
    if (d.success) await catchUpFulfilment(db, stripe, { chargeId: d.data.charge, paymentIntentId: d.data.payment_intent ?? null, paymentId: null });
  },
  apply: async ({ tx, event }) => {
    const d = disputeBody.safeParse(event.data.object);
    if (!d.success) return "ignored: unreadable dispute";
    const r = closed ? await closeDispute({ db: tx, input: disputeInput(d.data), status: d.data.status }) : await recordDispute({ db: tx, input: disputeInput(d.data) });
    return `${r.outcome}${r.payment ? ` ${r.payment.id}` : ""}`;
  },
});

const paymentFailed: StripeEventHandler = {
  apply: async ({ tx, event }) => {
    const pi = paymentIntentBody.safeParse(event.data.object);
    if (!pi.success || !pi.data.metadata.paymentId || !pi.data.metadata.teamId) return "ignored: not a Creditdesk payment";
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
  "charge.refunded": chargeRefunded,
  "charge.dispute.created": disputeHandler(false),
  "charge.dispute.closed": disputeHandler(true),
  "payment_intent.payment_failed": paymentFailed,
  // Buy Credit and auto top-up (off-session charges) and subscription invoices: lib/stripe/purchase-event-handlers.ts.
  "payment_intent.succeeded": erase(paymentIntentSucceeded),
  ...Object.fromEntries(
    ["invoice.finalized", "invoice.paid", "invoice.payment_failed", "invoice.voided", "invoice.marked_uncollectible", "invoice.updated"].map((t) => [t, erase(invoiceChanged)]),
  ),
};
