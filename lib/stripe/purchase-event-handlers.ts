import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "../db/client";
import { upsertStripeInvoice, type StripeInvoiceSnapshot } from "../billing/invoices/upsert-stripe-invoice";
import type { PaymentIntentSnapshot } from "../billing/purchases/payment-intent";
import { settlePurchase } from "../billing/purchases/settle-purchase";
import { callStripe } from "./client";
import { ourMetadata, stripeId, stripeRef } from "./event-schemas";
import type { StripeEventHandler } from "./event-handlers";
import { stripePaymentIntentGateway } from "./payment-intent-gateway";
import { MalformedEventError } from "./read-stripe-event";

// Event bodies are parsed, not trusted: only ids are taken from them; the objects are read again from Stripe.
const intentBody = z.object({ id: stripeId, metadata: ourMetadata });
const invoiceBody = z.object({ id: stripeId, customer: stripeRef.nullish() });

type IntentPrepared = { intent: PaymentIntentSnapshot } | { skip: string };

/** payment_intent.succeeded for a Buy Credit or auto top-up payment: settle it (credits once; top-ups settle through Checkout). */
export const paymentIntentSucceeded: StripeEventHandler<IntentPrepared> = {
  prepare: async ({ db, stripe, event }: { db: Db; stripe: Stripe; event: Stripe.Event }) => {
    const body = intentBody.safeParse(event.data.object);
    if (!body.success) throw new MalformedEventError("payment intent");
    const paymentId = body.data.metadata.paymentId;
    const known = await db.payment.findFirst({
      where: {
        kind: { in: ["PURCHASE", "AUTO_TOPUP"] },
        OR: [{ stripePaymentIntent: body.data.id }, ...(paymentId ? [{ id: paymentId, stripePaymentIntent: null }] : [])],
      },
      select: { id: true },
    });
    if (!known) return { skip: "not a Buy Credit or auto top-up payment" };
    return { intent: await stripePaymentIntentGateway(stripe).retrievePaymentIntent(body.data.id) };
  },
  apply: async ({ tx, prepared }) => {
    if ("skip" in prepared) return `ignored: ${prepared.skip}`;
    const r = await settlePurchase({ db: tx, intent: prepared.intent });
    return `${r.outcome}${r.payment ? ` ${r.payment.id}` : ""}`;
  },
};

const idOf = (v: string | { id: string } | null | undefined) => (v == null ? null : typeof v === "string" ? v : v.id);
const at = (unix: number | null | undefined) => (unix ? new Date(unix * 1000) : null);

/** The facts Creditdesk keeps about a Stripe invoice. */
export function toStripeInvoiceSnapshot(inv: Stripe.Invoice): StripeInvoiceSnapshot {
  const line = inv.lines?.data?.[0];
  // A renewal invoice's own period is the one that ended; its line carries the period it bills.
  const periodStart = at(line?.period?.start) ?? at(inv.period_start) ?? new Date(inv.created * 1000);
  const periodEnd = at(line?.period?.end) ?? at(inv.period_end) ?? periodStart;
  return {
    id: inv.id,
    number: inv.number ?? null,
    customerId: idOf(inv.customer as string | { id: string } | null),
    status: inv.status ?? null,
    totalCents: inv.total,
    currency: inv.currency,
    periodStart,
    periodEnd,
    paidAt: at(inv.status_transitions?.paid_at),
    hostedUrl: inv.hosted_invoice_url ?? null,
    lines: (inv.lines?.data ?? []).map((l) => ({ description: l.description ?? "Subscription", quantity: l.quantity ?? 1, amountCents: l.amount })),
  };
}

type InvoicePrepared = { invoice: StripeInvoiceSnapshot } | { skip: string };

/** invoice.finalized / paid / payment_failed / voided / marked_uncollectible / updated: copy the invoice as Stripe has it now. */
export const invoiceChanged: StripeEventHandler<InvoicePrepared> = {
  prepare: async ({ db, stripe, event }) => {
    const body = invoiceBody.safeParse(event.data.object);
    if (!body.success) throw new MalformedEventError("invoice");
    if (!body.data.customer) return { skip: "invoice without a customer" };
    const team = await db.team.findUnique({ where: { stripeCustomerId: body.data.customer }, select: { id: true } });
    if (!team) return { skip: "not a team's customer" };
    return { invoice: toStripeInvoiceSnapshot(await callStripe("reading an invoice", () => stripe.invoices.retrieve(body.data.id))) };
  },
  apply: async ({ tx, prepared }) => {
    if ("skip" in prepared) return `ignored: ${prepared.skip}`;
    const r = await upsertStripeInvoice({ db: tx, snapshot: prepared.invoice });
    return r ? `copied ${r.id} (${r.status.toLowerCase()})` : "ignored: not a team's invoice";
  },
};
