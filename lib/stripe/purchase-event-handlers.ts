import type Stripe from "stripe";
import { z } from "zod";
import type { Db } from "../db/client";
import type { StripeInvoiceSnapshot } from "../billing/invoices/upsert-stripe-invoice";
import type { PaymentIntentSnapshot } from "../billing/purchases/payment-intent";
import { settlePurchase } from "../billing/purchases/settle-purchase";
import { ourMetadata, stripeId } from "./event-schemas";
import type { StripeEventHandler } from "./event-handlers";
import { stripePaymentIntentGateway } from "./payment-intent-gateway";
import { MalformedEventError } from "./read-stripe-event";

// Event bodies are parsed, not trusted: only ids are taken from them; the objects are read again from Stripe.
const intentBody = z.object({ id: stripeId, metadata: ourMetadata });

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
    amountDueCents: inv.amount_due,
    amountPaidCents: inv.amount_paid,
    currency: inv.currency,
    periodStart,
    periodEnd,
    paidAt: at(inv.status_transitions?.paid_at),
    hostedUrl: inv.hosted_invoice_url ?? null,
    pdfUrl: inv.invoice_pdf ?? null,
    lines: (inv.lines?.data ?? []).map((l) => ({ description: l.description ?? "Subscription", quantity: l.quantity ?? 1, amountCents: l.amount })),
  };
}
