// Subscriptions: creation, proration, cancellation, renewal on the emulator clock, dunning of renewal invoices.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid, StripeApiError } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { formatMoney } from "../money.js";
import { bool, int, metadata, obj, objArr, oneOf, str, type Metadata, type Params } from "../params.js";
import { clone, type PendingProration, type Store, type SubscriptionMeta } from "../store.js";
import type { Customer, Invoice, PaymentMethod, Price, Product, Recurring, Subscription, SubscriptionItem } from "../types.js";
import { createInlinePrice } from "./catalog.js";
import { resolvePaymentMethod } from "./payment-methods.js";
import { pendingItems, tickDraftInvoices } from "./invoice-items.js";
import { attemptInvoicePayment, createInvoice, finalizeInvoice, previewInvoice, voidInvoice, type LineSpec } from "./invoices.js";
import { predictOutcome, type ForcedOutcome } from "./payments.js";

const DAY = 86400;
const INCOMPLETE_EXPIRY = 23 * 3600;

export function addInterval(ts: number, interval: Recurring["interval"], count: number): number {
  if (interval === "day") return ts + count * DAY;
  if (interval === "week") return ts + count * 7 * DAY;
  const d = new Date(ts * 1000);
  const months = interval === "month" ? count : count * 12;
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

function periodBoundary(meta: SubscriptionMeta, recurring: Recurring, cycle: number): number {
  return addInterval(meta.anchor, recurring.interval, recurring.interval_count * cycle);
}

function fmtDate(ts: number): string {
  return new Date(ts * 1000).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

function productName(store: Store, price: Price): string {
  const product = store.get(price.product) as Product | undefined;
  return product?.name ?? price.nickname ?? price.id;
}

export function priceLabel(store: Store, price: Price): string {
  const amount = formatMoney(price.unit_amount, price.currency);
  if (!price.recurring) return amount;
  const { interval, interval_count: count } = price.recurring;
  return count === 1 ? `${amount} / ${interval}` : `${amount} every ${count} ${interval}s`;
}

function planFromPrice(price: Price): Record<string, unknown> {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? "month",
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

// Subscriptions

function meta(store: Store, sub: Subscription): SubscriptionMeta {
  const m = store.subscriptionMeta.get(sub.id);
  if (!m) throw new Error(`missing subscription meta for ${sub.id}`);
  return m;
}

function recurringOf(sub: Subscription): Recurring {
  const first = sub.items.data[0];
  if (!first?.price.recurring) throw new Error(`subscription ${sub.id} has no recurring item`);
  return first.price.recurring;
}

/** Keeps the legacy single-item fields (plan, quantity) and sub-level periods in step with the items. */
function syncLegacy(sub: Subscription): void {
  const first = sub.items.data[0];
  sub.plan = sub.items.data.length === 1 && first ? clone(first.plan) : null;
  sub.quantity = sub.items.data.length === 1 && first ? first.quantity : null;
  for (const item of sub.items.data) {
    item.current_period_start = sub.current_period_start;
    item.current_period_end = sub.current_period_end;
  }
}

export function defaultPaymentMethodFor(store: Store, sub: Subscription): PaymentMethod | null {
  const customer = store.get(sub.customer) as Customer | undefined;
  const id = sub.default_payment_method ?? customer?.invoice_settings.default_payment_method ?? null;
  if (!id) return null;
  const pm = store.get(id) as PaymentMethod | undefined;
  return pm && pm.object === "payment_method" ? pm : null;
}

function makeItem(store: Store, subId: string, price: Price, quantity: number, start: number, end: number, md: Metadata = {}): SubscriptionItem {
  return {
    id: store.newId("si_", 14),
    object: "subscription_item",
    created: store.now(),
    livemode: false,
    billing_thresholds: null,
    current_period_end: end,
    current_period_start: start,
    discounts: [],
    metadata: md,
    plan: planFromPrice(price),
    price: clone(price),
    quantity,
    subscription: subId,
    tax_rates: [],
  };
}

function itemLine(store: Store, sub: Subscription, item: SubscriptionItem, period: { start: number; end: number }, trial: boolean): LineSpec {
  const name = productName(store, item.price);
  return {
    amount: trial ? 0 : item.price.unit_amount * item.quantity,
    description: trial ? `Trial period for ${name}` : `${item.quantity} × ${name} (at ${priceLabel(store, item.price)})`,
    quantity: item.quantity,
    price: item.price,
    period,
    proration: false,
    subscription: sub.id,
    subscriptionItem: item.id,
  };
}

export interface ItemInput {
  price: Price;
  quantity: number;
  metadata?: Metadata;
}

export type PaymentBehavior = "allow_incomplete" | "default_incomplete" | "error_if_incomplete" | "pending_if_incomplete";

export interface CreateSubscriptionInput {
  customer: Customer;
  items: ItemInput[];
  defaultPaymentMethod: PaymentMethod | null;
  metadata?: Metadata;
  description?: string | null;
  trialDays?: number;
  trialEnd?: number;
  paymentBehavior?: PaymentBehavior;
  cancelAtPeriodEnd?: boolean;
  offSession?: boolean;
  /** Checkout already authenticated the card; the first payment takes this outcome. */
  forcedFirstPayment?: ForcedOutcome;
}

function validateItems(items: ItemInput[], param: string): { currency: string; recurring: Recurring } {
  const first = items[0];
  if (!first) throw invalid("Missing required param: items.", param, "parameter_missing");
  const recurring = first.price.recurring;
  if (!recurring)
    throw invalid(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, `${param}[0][price]`);
  items.forEach((item, i) => {
    if (!item.price.recurring)
      throw invalid(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, `${param}[${i}][price]`);
    if (item.price.currency !== first.price.currency) throw invalid("All prices on a subscription must have the same currency.", `${param}[${i}][price]`);
    if (item.price.recurring.interval !== recurring.interval || item.price.recurring.interval_count !== recurring.interval_count) {
      throw invalid("All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.", `${param}[${i}][price]`);
    }
  });
  return { currency: first.price.currency, recurring };
}

export function noPaymentMethodError(): StripeApiError {
  return invalid(
    "This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.",
    undefined,
    "resource_missing",
  );
}

export function createSubscription(store: Store, input: CreateSubscriptionInput): { subscription: Subscription; error: StripeApiError | null } {
  const { currency, recurring } = validateItems(input.items, "items");
  const behavior = input.paymentBehavior ?? "allow_incomplete";
  const now = store.now();
  const trialEnd = input.trialEnd ?? (input.trialDays ? now + input.trialDays * DAY : undefined);
  const firstAmount = trialEnd ? 0 : input.items.reduce((s, i) => s + i.price.unit_amount * i.quantity, 0);
  const customerPm =
    input.defaultPaymentMethod ??
    (input.customer.invoice_settings.default_payment_method ? (store.get(input.customer.invoice_settings.default_payment_method) as PaymentMethod) : null);
  if (firstAmount > 0 && behavior !== "default_incomplete" && !input.forcedFirstPayment) {
    if (!customerPm) throw noPaymentMethodError();
    if (behavior === "error_if_incomplete") {
      const predicted = predictOutcome(store, customerPm, input.offSession ?? false);
      if (predicted.kind !== "succeed") throw predicted.error;
    }
  }

  const id = store.newId("sub_");
  const anchor = trialEnd ?? now;
  const periodEnd = trialEnd ?? addInterval(now, recurring.interval, recurring.interval_count);
  const sub: Subscription = {
    id,
    object: "subscription",
    created: now,
    livemode: false,
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic", updated_at: now },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: "charge_automatically",
    currency,
    current_period_end: periodEnd,
    current_period_start: now,
    customer: input.customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod?.id ?? null,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
    items: { object: "list", data: [], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    managed_payments: null,
    metadata: input.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd ? "trialing" : "incomplete",
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd ?? null,
    trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
    trial_start: trialEnd ? now : null,
  };
  sub.items.data = input.items.map((i) => makeItem(store, id, i.price, i.quantity, now, periodEnd, i.metadata));
  if (input.cancelAtPeriodEnd) {
    sub.cancel_at_period_end = true;
    sub.cancel_at = periodEnd;
    sub.canceled_at = now;
  }
  syncLegacy(sub);
  store.add(sub);
  store.subscriptionMeta.set(id, { anchor, cycles: trialEnd ? -1 : 0, pending: [] });

  const invoice = createInvoice(
    store,
    {
      customer: input.customer,
      currency,
      lines: sub.items.data.map((item) => itemLine(store, sub, item, { start: now, end: periodEnd }, Boolean(trialEnd))),
      billingReason: "subscription_create",
      subscription: sub,
      periodStart: now,
      periodEnd: now,
    },
    { silent: true },
  );
  sub.latest_invoice = invoice.id;
  // Stripe creates the subscription as incomplete (or trialing) and moves it to active once the first invoice is paid.
  store.emit("customer.subscription.created", sub);
  store.emit("invoice.created", invoice);
  finalizeInvoice(store, invoice);

  let error: StripeApiError | null = null;
  if (invoice.status === "open" && behavior !== "default_incomplete") {
    const result = attemptInvoicePayment(store, invoice, customerPm, { offSession: input.offSession ?? false, forced: input.forcedFirstPayment });
    if (!result.paid) error = result.error;
  }
  if (invoice.status === "paid" && sub.status === "incomplete") {
    const before = clone(sub);
    sub.status = "active";
    store.emitChange("customer.subscription.updated", before, sub);
  }
  return { subscription: sub, error: behavior === "error_if_incomplete" ? error : null };
}

function cancelNow(store: Store, sub: Subscription, at: number, reason: string, details: { comment?: string | null; feedback?: string | null } = {}): void {
  const before = clone(sub);
  sub.status = "canceled";
  sub.canceled_at = sub.canceled_at ?? at;
  sub.ended_at = at;
  sub.cancel_at_period_end = false;
  sub.cancellation_details = {
    comment: details.comment ?? sub.cancellation_details.comment,
    feedback: details.feedback ?? sub.cancellation_details.feedback,
    reason,
  };
  store.subscriptionMeta.get(sub.id)?.pending.splice(0);
  store.emit("customer.subscription.deleted", sub, diffKeys(before, sub));
}

function diffKeys(before: Subscription, after: Subscription): Record<string, unknown> {
  const prev: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) prev[k] = clone(before[k]) ?? null;
  }
  return prev;
}

export function cancelSubscription(store: Store, sub: Subscription, opts: { atPeriodEnd: boolean; comment?: string | null; feedback?: string | null }): void {
  if (sub.status === "canceled" || sub.status === "incomplete_expired") {
    throw invalid(`A canceled subscription can only update its cancellation_details and metadata.`, undefined, "subscription_canceled");
  }
  if (opts.atPeriodEnd) {
    const before = clone(sub);
    sub.cancel_at_period_end = true;
    sub.cancel_at = sub.current_period_end;
    sub.canceled_at = store.now();
    sub.cancellation_details = { comment: opts.comment ?? null, feedback: opts.feedback ?? null, reason: "cancellation_requested" };
    store.emitChange("customer.subscription.updated", before, sub);
    return;
  }
  cancelNow(store, sub, store.now(), "cancellation_requested", opts);
}

export function renewSubscriptionCancellation(store: Store, sub: Subscription): void {
  const before = clone(sub);
  sub.cancel_at_period_end = false;
  sub.cancel_at = null;
  sub.canceled_at = null;
  sub.cancellation_details = { comment: null, feedback: null, reason: null };
  store.emitChange("customer.subscription.updated", before, sub);
}

export interface ItemChange {
  id?: string;
  price?: Price;
  quantity?: number;
  deleted?: boolean;
}

export type ProrationBehavior = "create_prorations" | "always_invoice" | "none";

export interface UpdateSubscriptionInput {
  items?: ItemChange[];
  prorationBehavior?: ProrationBehavior;
  paymentBehavior?: PaymentBehavior;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  defaultPaymentMethod?: PaymentMethod | null;
  metadata?: Metadata;
  description?: string | null;
  trialEndNow?: boolean;
  /** When the prorations are computed (default now); must fall in the current period. */
  prorationDate?: number;
  /** `billing_cycle_anchor: "now"`: restart the cycle now and bill the new period at once. */
  resetAnchor?: boolean;
}

function proration(
  store: Store,
  sub: Subscription,
  item: SubscriptionItem,
  price: Price,
  quantity: number,
  sign: 1 | -1,
  now: number,
): PendingProration | null {
  const total = sub.current_period_end - sub.current_period_start;
  const remaining = sub.current_period_end - now;
  if (total <= 0 || remaining <= 0) return null;
  const amount = Math.round((price.unit_amount * quantity * remaining) / total);
  if (amount === 0) return null;
  const name = productName(store, price);
  return {
    description: sign < 0 ? `Unused time on ${quantity} × ${name} after ${fmtDate(now)}` : `Remaining time on ${quantity} × ${name} after ${fmtDate(now)}`,
    amount: sign * amount,
    price: price.id,
    quantity,
    subscriptionItem: item.id,
    period: { start: now, end: sub.current_period_end },
  };
}

function prorationLine(store: Store, sub: Subscription, p: PendingProration): LineSpec {
  return {
    amount: p.amount,
    description: p.description,
    quantity: p.quantity,
    price: store.get(p.price) as Price,
    period: p.period,
    proration: true,
    subscription: sub.id,
    subscriptionItem: p.subscriptionItem,
  };
}

/** Pays an invoice made outside the renewal cycle and moves the subscription's status accordingly. */
/**
 * A subscription's items after a list of changes (`param` names them in errors: "items" for an update,
 * "subscription_details[items]" for a preview), and the prorations each change makes at `at`. The update applies
 * them; the preview only prices them, so both charge exactly the same amounts. The subscription is not touched.
 */
function changeItems(
  store: Store,
  sub: Subscription,
  changes: ItemChange[],
  at: number,
  param: string,
): { items: SubscriptionItem[]; prorations: PendingProration[] } {
  const prorations: PendingProration[] = [];
  const items = sub.items.data.map((i) => ({ ...i }));
  for (const [index, change] of changes.entries()) {
    const existing = change.id ? items.find((i) => i.id === change.id) : undefined;
    if (change.id && !existing) throw invalid(`No such subscription item: '${change.id}'`, `${param}[${index}][id]`, "resource_missing");
    if (existing && change.deleted) {
      const credit = proration(store, sub, existing, existing.price, existing.quantity, -1, at);
      if (credit) prorations.push(credit);
      items.splice(items.indexOf(existing), 1);
      continue;
    }
    if (existing) {
      const price = change.price ?? existing.price;
      const quantity = change.quantity ?? existing.quantity;
      if (price.id === existing.price.id && quantity === existing.quantity) continue;
      const credit = proration(store, sub, existing, existing.price, existing.quantity, -1, at);
      const debit = proration(store, sub, existing, price, quantity, 1, at);
      if (credit) prorations.push(credit);
      if (debit) prorations.push(debit);
      existing.price = clone(price);
      existing.plan = planFromPrice(price);
      existing.quantity = quantity;
      continue;
    }
    if (!change.price) throw invalid(`Missing required param: ${param}[${index}][price].`, `${param}[${index}][price]`, "parameter_missing");
    const item = makeItem(store, sub.id, change.price, change.quantity ?? 1, sub.current_period_start, sub.current_period_end);
    const debit = proration(store, sub, item, change.price, item.quantity, 1, at);
    if (debit) prorations.push(debit);
    items.push(item);
  }
  return { items, prorations };
}

function collectNow(store: Store, sub: Subscription, invoice: Invoice, offSession: boolean): StripeApiError | null {
  finalizeInvoice(store, invoice);
  sub.latest_invoice = invoice.id;
  if (invoice.status !== "open") return null;
  const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession });
  if (!result.paid && sub.status === "active") sub.status = "past_due";
  return result.paid ? null : result.error;
}

export function updateSubscription(store: Store, sub: Subscription, input: UpdateSubscriptionInput): StripeApiError | null {
  if (sub.status === "canceled" || sub.status === "incomplete_expired") {
    if (input.items || input.cancelAtPeriodEnd !== undefined || input.defaultPaymentMethod !== undefined) {
      throw invalid("A canceled subscription can only update its cancellation_details and metadata.", undefined, "subscription_canceled");
    }
  }
  const before = clone(sub);
  const now = store.now();
  const at = input.prorationDate ?? now;
  if (input.prorationDate !== undefined && (at < sub.current_period_start || at > sub.current_period_end)) {
    throw invalid("The proration_date must be within the subscription's current period.", "proration_date");
  }
  const behavior = input.prorationBehavior ?? "create_prorations";
  const m = meta(store, sub);
  const oldRecurring = recurringOf(sub);
  const prorations: PendingProration[] = [];
  const inTrial = sub.status === "trialing";

  if (input.defaultPaymentMethod !== undefined) {
    const pm = input.defaultPaymentMethod;
    if (pm && pm.customer !== sub.customer) {
      throw invalid(
        `The customer does not have a payment method with the ID ${pm.id}. The payment method must be attached to the customer.`,
        "default_payment_method",
        "resource_missing",
      );
    }
    sub.default_payment_method = pm?.id ?? null;
  }

  if (input.items) {
    const { items: nextItems, prorations: changed } = changeItems(store, sub, input.items, at, "items");
    prorations.push(...changed);
    validateItems(
      nextItems.map((i) => ({ price: i.price, quantity: i.quantity })),
      "items",
    );
    if (input.paymentBehavior === "error_if_incomplete") {
      const pm = defaultPaymentMethodFor(store, sub);
      const charge = prorations.reduce((s, p) => s + p.amount, 0);
      if (charge > 0 && behavior === "always_invoice") {
        if (!pm) throw noPaymentMethodError();
        const predicted = predictOutcome(store, pm, true);
        if (predicted.kind !== "succeed") throw predicted.error;
      }
    }
    sub.items.data = nextItems;
  }

  if (input.metadata) sub.metadata = input.metadata;
  if (input.description !== undefined) sub.description = input.description;
  if (input.cancelAtPeriodEnd === true) {
    sub.cancel_at_period_end = true;
    sub.cancel_at = sub.current_period_end;
    sub.canceled_at = now;
    sub.cancellation_details = { ...sub.cancellation_details, reason: "cancellation_requested" };
  } else if (input.cancelAtPeriodEnd === false) {
    sub.cancel_at_period_end = false;
    sub.cancel_at = null;
    sub.canceled_at = null;
    sub.cancellation_details = { comment: null, feedback: null, reason: null };
  }
  if (input.cancelAt !== undefined) {
    sub.cancel_at = input.cancelAt;
    sub.cancel_at_period_end = input.cancelAt !== null && input.cancelAt === sub.current_period_end;
    sub.canceled_at = input.cancelAt === null ? null : now;
  }

  let error: StripeApiError | null = null;
  const newRecurring = recurringOf(sub);
  const intervalChanged = newRecurring.interval !== oldRecurring.interval || newRecurring.interval_count !== oldRecurring.interval_count;
  const customer = store.find<Customer>("customer", sub.customer);

  if (input.trialEndNow && inTrial) {
    renewPeriod(store, sub, now, true);
  } else if ((intervalChanged || input.resetAnchor) && !inTrial) {
    // A new interval restarts the billing cycle now and bills the new period at once (credit for unused time included).
    const credits = behavior === "none" ? [] : prorations.filter((p) => p.amount < 0);
    m.anchor = now;
    m.cycles = 0;
    sub.billing_cycle_anchor = now;
    sub.current_period_start = now;
    sub.current_period_end = addInterval(now, newRecurring.interval, newRecurring.interval_count);
    syncLegacy(sub);
    const lines = [
      ...credits.map((p) => prorationLine(store, sub, p)),
      ...m.pending.splice(0).map((p) => prorationLine(store, sub, p)),
      ...sub.items.data.map((item) => itemLine(store, sub, item, { start: now, end: sub.current_period_end }, false)),
    ];
    const invoice = createInvoice(store, {
      customer,
      currency: sub.currency,
      lines,
      billingReason: "subscription_update",
      subscription: sub,
      periodStart: now,
      periodEnd: now,
    });
    error = collectNow(store, sub, invoice, true);
  } else if (!inTrial && prorations.length > 0 && behavior !== "none") {
    if (behavior === "always_invoice") {
      const lines = [...m.pending.splice(0), ...prorations].map((p) => prorationLine(store, sub, p));
      const invoice = createInvoice(store, {
        customer,
        currency: sub.currency,
        lines,
        billingReason: "subscription_update",
        subscription: sub,
        periodStart: now,
        periodEnd: now,
      });
      error = collectNow(store, sub, invoice, true);
    } else {
      m.pending.push(...prorations);
    }
  }
  syncLegacy(sub);
  store.emitChange("customer.subscription.updated", before, sub);
  return input.paymentBehavior === "error_if_incomplete" ? error : null;
}

/**
 * What `invoices.createPreview` answers for a subscription and a proposed change, without changing anything:
 * with `always_invoice` (or a new interval) the invoice the update would bill at once; otherwise the next
 * renewal invoice, carrying the pending and proposed prorations. Prorations use `prorationDate` (default now).
 */
export function previewSubscriptionInvoice(
  store: Store,
  sub: Subscription,
  input: { items?: ItemChange[]; prorationBehavior?: ProrationBehavior; prorationDate?: number; resetAnchor?: boolean },
): Invoice {
  const at = input.prorationDate ?? store.now();
  if (at < sub.current_period_start || at > sub.current_period_end) {
    throw invalid("The proration_date must be within the subscription's current period.", "subscription_details[proration_date]");
  }
  const behavior = input.prorationBehavior ?? "create_prorations";
  const m = meta(store, sub);
  const oldRecurring = recurringOf(sub);
  const { items, prorations } = changeItems(store, sub, input.items ?? [], at, "subscription_details[items]");
  const newRecurring = validateItems(
    items.map((i) => ({ price: i.price, quantity: i.quantity })),
    "subscription_details[items]",
  ).recurring;
  const customer = store.find<Customer>("customer", sub.customer);
  const pending = m.pending.map((p) => prorationLine(store, sub, p));
  const draft = { ...sub, items: { ...sub.items, data: items } };
  const intervalChanged = newRecurring.interval !== oldRecurring.interval || newRecurring.interval_count !== oldRecurring.interval_count;
  const base = { customer, currency: sub.currency, subscription: sub };
  if ((intervalChanged || input.resetAnchor) && sub.status !== "trialing") {
    // As the update does: the credit is computed at proration_date, the new cycle starts now.
    const now = store.now();
    const end = addInterval(now, newRecurring.interval, newRecurring.interval_count);
    const credits = behavior === "none" ? [] : prorations.filter((p) => p.amount < 0).map((p) => prorationLine(store, sub, p));
    const lines = [...credits, ...pending, ...items.map((item) => itemLine(store, draft, item, { start: now, end }, false))];
    return previewInvoice(store, { ...base, lines, billingReason: "subscription_update", periodStart: now, periodEnd: now });
  }
  if (behavior === "always_invoice" && prorations.length > 0 && sub.status !== "trialing") {
    const lines = [...pending, ...prorations.map((p) => prorationLine(store, sub, p))];
    return previewInvoice(store, { ...base, lines, billingReason: "subscription_update", periodStart: at, periodEnd: at });
  }
  const next = { start: sub.current_period_end, end: periodBoundary(m, newRecurring, m.cycles + 2) };
  const lines = [
    ...pending,
    ...(behavior === "none" || sub.status === "trialing" ? [] : prorations.map((p) => prorationLine(store, sub, p))),
    ...items.map((item) => itemLine(store, draft, item, next, false)),
    ...pendingItems(store, customer.id, sub.id).lines,
  ];
  return previewInvoice(store, {
    ...base,
    lines,
    billingReason: "subscription_cycle",
    periodStart: sub.current_period_start,
    periodEnd: sub.current_period_end,
  });
}

/** Starts the next billing period: invoice it and try to collect with the default payment method. */
function renewPeriod(store: Store, sub: Subscription, at: number, endTrialEarly = false): void {
  const m = meta(store, sub);
  const recurring = recurringOf(sub);
  const before = clone(sub);
  const previousStart = sub.current_period_start;
  const previousEnd = endTrialEarly ? at : sub.current_period_end;
  if (endTrialEarly) {
    m.anchor = at;
    m.cycles = 0;
    sub.trial_end = at;
    sub.billing_cycle_anchor = at;
  } else {
    m.cycles += 1;
  }
  sub.current_period_start = endTrialEarly ? at : sub.current_period_end;
  sub.current_period_end = periodBoundary(m, recurring, m.cycles + 1);
  if (sub.status === "trialing") sub.status = "active";
  syncLegacy(sub);

  const customer = store.find<Customer>("customer", sub.customer);
  const period = { start: sub.current_period_start, end: sub.current_period_end };
  // Pending invoice items (usage billed after the fact, credits) ride on the renewal, as in Stripe.
  const items = pendingItems(store, customer.id, sub.id);
  const lines = [
    ...m.pending.splice(0).map((p) => prorationLine(store, sub, p)),
    ...sub.items.data.map((item) => itemLine(store, sub, item, period, false)),
    ...items.lines,
  ];
  // As in Stripe, invoice.period_* is the period just ended; the lines carry the new period.
  const invoice = createInvoice(
    store,
    {
      customer,
      currency: sub.currency,
      lines,
      billingReason: "subscription_cycle",
      subscription: sub,
      periodStart: previousStart,
      periodEnd: previousEnd,
    },
    { silent: true },
  );
  items.claim(invoice.id);
  sub.latest_invoice = invoice.id;
  store.emitChange("customer.subscription.updated", before, sub);
  store.emit("invoice.created", invoice);
  finalizeInvoice(store, invoice);
  const afterInvoice = clone(sub);
  if (invoice.status === "open") {
    const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession: true });
    if (!result.paid) sub.status = "past_due";
  } else if (sub.status === "past_due") {
    sub.status = "active";
  }
  store.emitChange("customer.subscription.updated", afterInvoice, sub);
}

/** After an open subscription invoice gets paid (retry, invoices.pay, portal card update), heal the status. */
export function afterInvoicePaid(store: Store, invoice: Invoice): void {
  if (!invoice.subscription) return;
  const sub = store.get(invoice.subscription) as Subscription | undefined;
  if (!sub || (sub.status !== "past_due" && sub.status !== "incomplete" && sub.status !== "unpaid")) return;
  const stillOpen = store.all<Invoice>("invoice").some((i) => i.subscription === sub.id && i.status === "open");
  if (stillOpen) return;
  const before = clone(sub);
  sub.status = "active";
  store.emitChange("customer.subscription.updated", before, sub);
}

/** Retries a customer's open subscription invoices, as Stripe does when a new default card is set. */
export function retryOpenInvoices(store: Store, customerId: string): void {
  for (const invoice of store.all<Invoice>("invoice").reverse()) {
    if (invoice.customer !== customerId || invoice.status !== "open" || !invoice.subscription) continue;
    const sub = store.get(invoice.subscription) as Subscription | undefined;
    if (!sub || sub.status === "canceled") continue;
    const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession: true });
    if (result.paid) afterInvoicePaid(store, invoice);
  }
}

/** Brings every subscription and open invoice up to the emulator clock. */
export function tickBilling(store: Store): void {
  const now = store.now();
  tickDraftInvoices(store);
  for (const sub of store.all<Subscription>("subscription").reverse()) {
    if (sub.status === "incomplete") {
      if (sub.created + INCOMPLETE_EXPIRY <= now) {
        const before = clone(sub);
        sub.status = "incomplete_expired";
        sub.ended_at = sub.created + INCOMPLETE_EXPIRY;
        const invoice = sub.latest_invoice ? (store.get(sub.latest_invoice) as Invoice | undefined) : undefined;
        if (invoice && invoice.status === "open") voidInvoice(store, invoice);
        store.emitChange("customer.subscription.updated", before, sub);
      }
      continue;
    }
    let guard = 0;
    while ((sub.status === "active" || sub.status === "past_due" || sub.status === "trialing") && guard++ < 500) {
      if (sub.cancel_at !== null && sub.cancel_at <= now && sub.cancel_at <= sub.current_period_end) {
        cancelNow(store, sub, sub.cancel_at, "cancellation_requested");
        break;
      }
      if (sub.current_period_end > now) break;
      renewPeriod(store, sub, sub.current_period_end);
    }
  }
  for (const invoice of store.all<Invoice>("invoice").reverse()) {
    if (invoice.status !== "open" || invoice.next_payment_attempt === null || invoice.next_payment_attempt > now || !invoice.subscription) continue;
    const sub = store.get(invoice.subscription) as Subscription | undefined;
    if (!sub || sub.status === "canceled") {
      invoice.next_payment_attempt = null;
      continue;
    }
    const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession: true });
    if (result.paid) {
      afterInvoicePaid(store, invoice);
    } else if (invoice.attempt_count >= store.dunning.maxAttempts) {
      if (store.dunning.afterRetries === "unpaid") {
        // The invoice stays open (it can still be paid, which makes the subscription active again); no more renewals until then.
        const before = clone(sub);
        sub.status = "unpaid";
        store.emitChange("customer.subscription.updated", before, sub);
      } else {
        cancelNow(store, sub, now, "payment_failed");
      }
    }
  }
}

// Routes

function readItems(store: Store, p: Params, required: boolean): ItemChange[] | undefined {
  const items = objArr(p, "items", { required });
  if (!items) return undefined;
  return items.map((item, i) => {
    const path = `items[${i}]`;
    const priceId = str(item, "price", { path });
    const priceData = obj(item, "price_data", { path });
    let price: Price | undefined;
    if (priceId) {
      price = store.findParam<Price>("price", priceId, `${path}[price]`);
      if (!price.active) throw invalid("The price specified is inactive. This field only accepts active prices.", `${path}[price]`);
    } else if (priceData) {
      price = createInlinePrice(store, priceData, `${path}[price_data]`, true);
    }
    return {
      id: str(item, "id", { path }),
      price,
      quantity: int(item, "quantity", { min: 0, path }),
      deleted: bool(item, "deleted", { path }),
    };
  });
}

function readPaymentBehavior(p: Params): PaymentBehavior | undefined {
  return oneOf(p, "payment_behavior", ["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"] as const);
}

function readDefaultPm(store: Store, p: Params, customerId: string): PaymentMethod | null | undefined {
  if (p.default_payment_method === undefined) return undefined;
  if (p.default_payment_method === "") return null;
  const pm = resolvePaymentMethod(store, str(p, "default_payment_method") ?? "", "default_payment_method");
  if (pm.customer !== customerId) {
    throw invalid(
      `The customer does not have a payment method with the ID ${pm.id}. The payment method must be attached to the customer.`,
      "default_payment_method",
      "resource_missing",
    );
  }
  return pm;
}

/** createPreview without `subscription`: the first invoice of a subscription to `subscription_details.items` for `customer`. */
function previewNewSubscription(store: Store, params: Params, customerId: string | undefined): Invoice {
  if (!customerId) throw invalid("Missing required param: customer or subscription.", "customer", "parameter_missing");
  const customer = store.findParam<Customer>("customer", customerId, "customer");
  const details = obj(params, "subscription_details") ?? {};
  const items = readItems(store, details, false) ?? [];
  if (items.length === 0) throw invalid("Missing required param: subscription_details[items].", "subscription_details[items]", "parameter_missing");
  const inputs = items.map((item, i) => {
    if (!item.price)
      throw invalid(`Missing required param: subscription_details[items][${i}][price].`, `subscription_details[items][${i}][price]`, "parameter_missing");
    return { price: item.price, quantity: item.quantity ?? 1 };
  });
  const { currency, recurring } = validateItems(inputs, "subscription_details[items]");
  const now = store.now();
  const period = { start: now, end: addInterval(now, recurring.interval, recurring.interval_count) };
  const lines: LineSpec[] = inputs.map((i) => ({
    amount: i.price.unit_amount * i.quantity,
    description: `${i.quantity} × ${productName(store, i.price)} (at ${priceLabel(store, i.price)})`,
    quantity: i.quantity,
    price: i.price,
    period,
    proration: false,
    subscription: null,
    subscriptionItem: null,
  }));
  return previewInvoice(store, { customer, currency, lines, billingReason: "subscription_create", subscription: null, periodStart: now, periodEnd: now });
}

function readAnchor(p: Params, param: string): boolean {
  if (p.billing_cycle_anchor === undefined) return false;
  if (p.billing_cycle_anchor === "now") return true;
  if (p.billing_cycle_anchor === "unchanged") return false;
  throw invalid("Invalid billing_cycle_anchor: must be one of now or unchanged", param);
}

const LISTED_BY_DEFAULT = new Set(["active", "past_due", "trialing", "unpaid", "incomplete", "paused"]);

export function registerSubscriptions(r: ApiRouter): void {
  r.post("/v1/subscriptions", ({ store, params, expand }) => {
    const customer = store.findParam<Customer>("customer", str(params, "customer", { required: true }) ?? "", "customer");
    const items = readItems(store, params, true) ?? [];
    const inputs: ItemInput[] = items.map((item, i) => {
      if (!item.price) throw invalid(`Missing required param: items[${i}][price].`, `items[${i}][price]`, "parameter_missing");
      return { price: item.price, quantity: item.quantity ?? 1 };
    });
    const trialEndParam = params.trial_end;
    const { subscription, error } = createSubscription(store, {
      customer,
      items: inputs,
      defaultPaymentMethod: readDefaultPm(store, params, customer.id) ?? null,
      metadata: metadata(params),
      description: str(params, "description") ?? null,
      trialDays: int(params, "trial_period_days", { min: 0, max: 730 }),
      trialEnd: typeof trialEndParam === "string" && trialEndParam !== "now" ? int(params, "trial_end") : undefined,
      paymentBehavior: readPaymentBehavior(params),
      cancelAtPeriodEnd: bool(params, "cancel_at_period_end"),
      offSession: bool(params, "off_session") ?? false,
    });
    if (error) throw error;
    return render(store, subscription, expand);
  });

  r.get("/v1/subscriptions", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const price = str(params, "price");
    const status = str(params, "status");
    const items = store.all<Subscription>("subscription").filter((s) => {
      if (customer !== undefined && s.customer !== customer) return false;
      if (price !== undefined && !s.items.data.some((i) => i.price.id === price)) return false;
      if (status === undefined) return LISTED_BY_DEFAULT.has(s.status);
      if (status === "all") return true;
      if (status === "ended") return s.status === "canceled" || s.status === "incomplete_expired";
      return s.status === status;
    });
    return renderList(
      store,
      items.filter((s) => matchesCreated(s.created, params)),
      params,
      "/v1/subscriptions",
      expand,
    );
  });

  r.get("/v1/subscriptions/:id", (ctx) => render(ctx.store, ctx.store.find<Subscription>("subscription", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/subscriptions/:id", (ctx) => {
    const { store, params } = ctx;
    const sub = store.find<Subscription>("subscription", pathParam(ctx, "id"));
    const cancelAtParam = params.cancel_at;
    const error = updateSubscription(store, sub, {
      items: readItems(store, params, false),
      prorationBehavior: oneOf(params, "proration_behavior", ["create_prorations", "always_invoice", "none"] as const),
      paymentBehavior: readPaymentBehavior(params),
      cancelAtPeriodEnd: bool(params, "cancel_at_period_end"),
      cancelAt: cancelAtParam === "" ? null : cancelAtParam === undefined ? undefined : int(params, "cancel_at"),
      defaultPaymentMethod: readDefaultPm(store, params, sub.customer),
      metadata: params.metadata !== undefined ? metadata(params, sub.metadata) : undefined,
      description: params.description !== undefined ? (str(params, "description") ?? null) : undefined,
      trialEndNow: params.trial_end === "now",
      prorationDate: int(params, "proration_date"),
      resetAnchor: readAnchor(params, "billing_cycle_anchor"),
    });
    if (error) throw error;
    return render(store, sub, ctx.expand);
  });

  r.delete("/v1/subscriptions/:id", (ctx) => {
    const { store, params } = ctx;
    const sub = store.find<Subscription>("subscription", pathParam(ctx, "id"));
    const details = obj(params, "cancellation_details") ?? {};
    cancelSubscription(store, sub, {
      atPeriodEnd: false,
      comment: str(details, "comment", { path: "cancellation_details" }) ?? null,
      feedback: str(details, "feedback", { path: "cancellation_details" }) ?? null,
    });
    return render(store, sub, ctx.expand);
  });

  r.post("/v1/invoices/create_preview", ({ store, params, expand }) => {
    const customerId = str(params, "customer");
    const subId = str(params, "subscription");
    if (!subId) return render(store, previewNewSubscription(store, params, customerId), expand);
    const sub = store.findParam<Subscription>("subscription", subId, "subscription");
    if (customerId !== undefined && customerId !== sub.customer) {
      throw invalid(`The subscription ${sub.id} does not belong to the customer ${customerId}.`, "customer");
    }
    if (sub.status === "canceled" || sub.status === "incomplete_expired") {
      throw invalid("No upcoming invoices for a canceled subscription.", "subscription", "invoice_upcoming_none");
    }
    const details = obj(params, "subscription_details") ?? {};
    const invoice = previewSubscriptionInvoice(store, sub, {
      items: readItems(store, details, false),
      prorationBehavior: oneOf(details, "proration_behavior", ["create_prorations", "always_invoice", "none"] as const),
      prorationDate: int(details, "proration_date"),
      resetAnchor: readAnchor(details, "subscription_details[billing_cycle_anchor]"),
    });
    return render(store, invoice, expand);
  });

  r.get("/v1/subscription_items", ({ store, params, expand }) => {
    const sub = store.findParam<Subscription>("subscription", str(params, "subscription", { required: true }) ?? "", "subscription");
    return renderList(store, sub.items.data, params, `/v1/subscription_items?subscription=${sub.id}`, expand);
  });

  r.get("/v1/subscription_items/:id", (ctx) => {
    const id = pathParam(ctx, "id");
    for (const sub of ctx.store.all<Subscription>("subscription")) {
      const item = sub.items.data.find((i) => i.id === id);
      if (item) return render(ctx.store, item, ctx.expand);
    }
    return ctx.store.find("subscription_item", id);
  });
}
