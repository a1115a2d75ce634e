import { z } from "zod";
import type { Db } from "../db/client";
import { applySubscriptionState } from "../billing/subscriptions/apply-subscription-state";
import { repayStatement } from "../billing/statements/repay-statement";
import { voidStatement } from "../billing/statements/void-statement";
import type { SubscriptionInvoiceSnapshot, SubscriptionSnapshot } from "../billing/subscriptions/subscription-port";
import { statementRef, stripeId, stripeRef } from "./event-schemas";
import type { StripeEventHandler } from "./event-handlers";
import { upsertStripeInvoice, type StripeInvoiceSnapshot } from "../billing/invoices/upsert-stripe-invoice";
import { callStripe } from "./client";
import { toStripeInvoiceSnapshot } from "./purchase-event-handlers";
import { MalformedEventError } from "./read-stripe-event";
import { invoicePaidCents } from "./statement-gateway";
import { stripeSubscriptionGateway, subscriptionInvoiceSnapshotOf } from "./subscription-gateway";

// Only ids are taken from event bodies; the subscription and the invoice are read again from Stripe, so whatever the
// order or number of deliveries, the last one applied writes what Stripe says now.
const subscriptionBody = z.object({ id: stripeId, customer: stripeRef.nullish() });
const invoiceBody = z.object({
  id: stripeId,
  customer: stripeRef.nullish(),
  subscription: stripeRef.nullish(),
  parent: z
    .object({ subscription_details: z.object({ subscription: stripeRef.nullish() }).nullish() })
    .nullish()
    .catch(null),
});

/** Only a team's Stripe customer is read further (another integration's objects, or Stripe's examples, are not ours). */
async function isTeamCustomer(db: Db, customerId: string | null | undefined): Promise<boolean> {
  if (!customerId) return false;
  return (await db.team.findUnique({ where: { stripeCustomerId: customerId }, select: { id: true } })) !== null;
}

type SubscriptionPrepared = { subscription: SubscriptionSnapshot; invoice: SubscriptionInvoiceSnapshot | null } | { skip: string };

/** customer.subscription.*: copy the subscription as Stripe has it now. */
export const subscriptionChanged: StripeEventHandler<SubscriptionPrepared> = {
  prepare: async ({ db, stripe, event }) => {
    const body = subscriptionBody.safeParse(event.data.object);
    if (!body.success) throw new MalformedEventError("subscription");
    if (!(await isTeamCustomer(db, body.data.customer))) return { skip: "not a team's customer" };
    return { subscription: await stripeSubscriptionGateway(stripe).retrieveSubscription(body.data.id), invoice: null };
  },
  apply: async ({ tx, prepared }) => {
    if ("skip" in prepared) return `ignored: ${prepared.skip}`;
    return applySubscriptionState({ db: tx, subscription: prepared.subscription });
  },
};

type StatementPaid = { statementId: string; invoice: { id: string; customerId: string | null; status: string | null; amountPaidCents: number } };
type InvoicePrepared = {
  copy: { invoice: StripeInvoiceSnapshot; failedEventId?: string | null } | null;
  sub: SubscriptionPrepared | null;
  statement?: StatementPaid | null;
};

// The invoice types whose invoice is copied to Invoices (a draft just created is not).
const COPIED = new Set(["invoice.finalized", "invoice.paid", "invoice.payment_failed", "invoice.voided", "invoice.marked_uncollectible", "invoice.updated"]);

/**
 * invoice.*: copy the invoice to the team's Invoices (upsertStripeInvoice), and for a subscription's invoice also copy
 * the subscription and grant the plan credits a paid invoice brings. The invoice is read from Stripe once for both.
 */
export const subscriptionInvoiceChanged: StripeEventHandler<InvoicePrepared> = {
  prepare: async ({ db, stripe, event }) => {
    const body = invoiceBody.safeParse(event.data.object);
    if (!body.success) throw new MalformedEventError("invoice");
    const subscriptionId = body.data.subscription ?? body.data.parent?.subscription_details?.subscription ?? null;
    const copied = COPIED.has(event.type);
    if ((!copied && !subscriptionId) || !(await isTeamCustomer(db, body.data.customer))) return { copy: null, sub: null };
    const inv = await callStripe("reading an invoice", () => stripe.invoices.retrieve(body.data.id));
    const copy = copied ? { invoice: toStripeInvoiceSnapshot(inv), failedEventId: event.type === "invoice.payment_failed" ? event.id : null } : null;
    const ref = statementRef.safeParse(inv.metadata?.creditdesk_statement);
    const statement =
      ref.success && (inv.status === "paid" || inv.status === "void") && copy
        ? { statementId: ref.data, invoice: { id: inv.id, customerId: copy.invoice.customerId, status: inv.status, amountPaidCents: invoicePaidCents(inv) } }
        : null;
    if (!subscriptionId) return { copy, sub: null, statement };
    const [subscription, invoice] = await Promise.all([
      stripeSubscriptionGateway(stripe).retrieveSubscription(subscriptionId),
      subscriptionInvoiceSnapshotOf(stripe, inv),
    ]);
    return { copy, sub: { subscription, invoice }, statement };
  },
  apply: async ({ tx, prepared }) => {
    const r = prepared.copy ? await upsertStripeInvoice({ db: tx, snapshot: prepared.copy.invoice, failedEventId: prepared.copy.failedEventId ?? null }) : null;
    let notes = !prepared.copy ? "invoice not copied" : r ? `copied ${r.id} (${r.status.toLowerCase()})` : "ignored: not a team's invoice";
    const st = prepared.statement;
    if (st) notes += `; ${st.invoice.status === "void" ? await voidStatement({ db: tx, ...st }) : await repayStatement({ db: tx, ...st })}`;
    if (!prepared.sub || "skip" in prepared.sub) return notes;
    const state = await applySubscriptionState({ db: tx, subscription: prepared.sub.subscription, invoice: prepared.sub.invoice });
    return `${notes}; ${state}`;
  },
};

export const SUBSCRIPTION_EVENT_TYPES = [
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.subscription.resumed",
  "customer.subscription.trial_will_end",
  "customer.subscription.pending_update_applied",
  "customer.subscription.pending_update_expired",
] as const;

export const INVOICE_EVENT_TYPES = [
  "invoice.created",
  "invoice.finalized",
  "invoice.paid",
  "invoice.payment_succeeded",
  "invoice.payment_failed",
  "invoice.payment_action_required",
  "invoice.voided",
  "invoice.marked_uncollectible",
  "invoice.updated",
] as const;
