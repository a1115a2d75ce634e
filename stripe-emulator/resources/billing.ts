// Subscriptions and invoices: creation, proration, cancellation, renewal on the emulator clock, dunning.
import { pathParam, type ApiRouter } from '../api.js';
import { invalid, StripeApiError } from '../errors.js';
import { matchesCreated, render, renderList } from '../expand.js';
import { formatMoney } from '../money.js';
import { bool, int, metadata, obj, objArr, oneOf, str, type Metadata, type Params } from '../params.js';
import { clone, type PendingProration, type Store, type SubscriptionMeta } from '../store.js';
import type {
  CheckoutSession,
  Customer,
  Invoice,
  InvoiceLine,
  PaymentIntent,
  PaymentMethod,
  Price,
  Product,
  Recurring,
  Subscription,
  SubscriptionItem,
} from '../types.js';
import { createInlinePrice } from './catalog.js';
import { resolvePaymentMethod } from './payment-methods.js';
import { confirmPaymentIntent, createPaymentIntent, predictOutcome, type ForcedOutcome } from './payments.js';

const DAY = 86400;
/** Smart Retries stand-in: retry a failed renewal every 3 days, cancel after the 4th failure. */
const RETRY_INTERVAL = 3 * DAY;
const MAX_ATTEMPTS = 4;
const INCOMPLETE_EXPIRY = 23 * 3600;

export function addInterval(ts: number, interval: Recurring['interval'], count: number): number {
  if (interval === 'day') return ts + count * DAY;
  if (interval === 'week') return ts + count * 7 * DAY;
  const d = new Date(ts * 1000);
  const months = interval === 'month' ? count : count * 12;
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
  return new Date(ts * 1000).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
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
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

// Invoices

export interface LineSpec {
  amount: number;
  description: string;
  quantity: number | null;
  price: Price | null;
  period: { start: number; end: number };
  proration: boolean;
  subscription: string | null;
  subscriptionItem: string | null;
}

function makeLine(store: Store, invoiceId: string, currency: string, spec: LineSpec): InvoiceLine {
  const invoiceItem = spec.subscriptionItem === null || spec.proration ? store.newId('ii_') : null;
  return {
    id: store.newId('il_'),
    object: 'line_item',
    amount: spec.amount,
    currency,
    description: spec.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent:
      spec.subscriptionItem !== null
        ? {
            type: 'subscription_item_details',
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: invoiceItem,
              proration: spec.proration,
              proration_details: { credited_items: null },
              subscription: spec.subscription,
              subscription_item: spec.subscriptionItem,
            },
          }
        : {
            type: 'invoice_item_details',
            invoice_item_details: { invoice_item: invoiceItem, proration: false, proration_details: { credited_items: null }, subscription: spec.subscription },
            subscription_item_details: null,
          },
    period: spec.period,
    pretax_credit_amounts: [],
    pricing: spec.price
      ? { type: 'price_details', price_details: { price: spec.price.id, product: spec.price.product }, unit_amount_decimal: spec.price.unit_amount_decimal }
      : null,
    quantity: spec.quantity,
    subscription: spec.subscription,
    subtotal: spec.amount,
    taxes: [],
  };
}

export interface InvoiceInput {
  customer: Customer | null;
  currency: string;
  lines: LineSpec[];
  billingReason: string;
  subscription: Subscription | null;
  periodStart: number;
  periodEnd: number;
  metadata?: Metadata;
  description?: string | null;
  customerEmail?: string | null;
  customerName?: string | null;
}

/** `silent` lets the caller emit invoice.created after related events (Stripe sends subscription events first). */
export function createInvoice(store: Store, input: InvoiceInput, opts: { silent?: boolean } = {}): Invoice {
  const base = store.base('invoice', 'in_');
  const total = input.lines.reduce((sum, l) => sum + l.amount, 0);
  const lines = input.lines.map((l) => makeLine(store, base.id, input.currency, l));
  const sub = input.subscription;
  const invoice: Invoice = {
    ...base,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Creditdesk (Stripe emulator)',
    account_tax_ids: null,
    amount_due: Math.max(0, total),
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: Math.max(0, total),
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    currency: input.currency,
    custom_fields: null,
    customer: input.customer?.id ?? null,
    customer_account: null,
    customer_address: null,
    customer_email: input.customer?.email ?? input.customerEmail ?? null,
    customer_name: input.customer?.name ?? input.customerName ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: input.description ?? null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${base.id}/lines` },
    metadata: input.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: sub ? { type: 'subscription_details', quote_details: null, subscription_details: { metadata: clone(sub.metadata), subscription: sub.id } } : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.periodEnd,
    period_start: input.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subscription: sub?.id ?? null,
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
  store.add(invoice);
  store.invoicePayments.set(invoice.id, []);
  if (!opts.silent) store.emit('invoice.created', invoice);
  return invoice;
}

function markPaid(store: Store, invoice: Invoice, pi: PaymentIntent | null): void {
  const now = store.now();
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions = { ...invoice.status_transitions, paid_at: now };
  if (pi) {
    const payments = store.invoicePayments.get(invoice.id) ?? [];
    const record = payments.find((p) => p.payment.payment_intent === pi.id);
    if (record) {
      record.status = 'paid';
      record.amount_paid = pi.amount;
      record.status_transitions = { ...record.status_transitions, paid_at: now };
    }
  }
  store.emit('invoice.paid', invoice);
  store.emit('invoice.payment_succeeded', invoice);
}

/** Draft → open: applies the customer's credit balance, numbers the invoice, gives it hosted and PDF URLs. */
export function finalizeInvoice(store: Store, invoice: Invoice): void {
  if (invoice.status !== 'draft') throw invalid(`This invoice is already finalized, you can't re-finalize a non-draft invoice.`, undefined, 'invoice_not_editable');
  const customer = invoice.customer ? (store.get(invoice.customer) as Customer | undefined) : undefined;
  const now = store.now();
  const starting = customer?.balance ?? 0;
  const applied = invoice.total + starting;
  invoice.starting_balance = starting;
  invoice.amount_due = Math.max(0, applied);
  invoice.amount_remaining = invoice.amount_due;
  invoice.ending_balance = applied < 0 ? applied : 0;
  if (customer && customer.balance !== invoice.ending_balance) {
    const before = clone(customer);
    customer.balance = invoice.ending_balance;
    store.emitChange('customer.updated', before, customer);
  }
  invoice.number = store.nextInvoiceNumber(customer?.invoice_prefix ?? 'EMU', customer ?? null);
  invoice.status = 'open';
  invoice.effective_at = now;
  invoice.status_transitions = { ...invoice.status_transitions, finalized_at: now };
  invoice.hosted_invoice_url = store.url(`/invoices/${invoice.id}`);
  invoice.invoice_pdf = store.url(`/invoices/${invoice.id}/pdf`);
  invoice.webhooks_delivered_at = now;
  store.emit('invoice.finalized', invoice);
  if (invoice.amount_due === 0) markPaid(store, invoice, null);
}

function paymentDescription(reason: string | null): string {
  switch (reason) {
    case 'subscription_create':
      return 'Subscription creation';
    case 'subscription_update':
      return 'Subscription update';
    case 'subscription_cycle':
      return 'Subscription cycle';
    default:
      return 'Invoice payment';
  }
}

export type InvoicePaymentResult = { paid: true } | { paid: false; error: StripeApiError | null };

/** Tries to collect an open invoice; records the attempt the way Stripe's dunning does. */
export function attemptInvoicePayment(store: Store, invoice: Invoice, pm: PaymentMethod | null, opts: { offSession: boolean; forced?: ForcedOutcome }): InvoicePaymentResult {
  if (invoice.status !== 'open') throw invalid(`Invoice is already ${invoice.status}.`, undefined, 'invoice_not_open');
  const now = store.now();
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (!pm) {
    invoice.next_payment_attempt = invoice.subscription && invoice.attempt_count < MAX_ATTEMPTS ? now + RETRY_INTERVAL : null;
    store.emit('invoice.payment_failed', invoice);
    return { paid: false, error: null };
  }
  const pi = createPaymentIntent(store, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: invoice.customer,
    paymentMethodTypes: [pm.type],
    description: paymentDescription(invoice.billing_reason),
    paymentMethod: pm.id,
  });
  store.invoiceBySubscriptionPaymentIntent.set(pi.id, invoice.id);
  const payments = store.invoicePayments.get(invoice.id) ?? [];
  for (const p of payments) p.is_default = false;
  payments.push({
    id: store.newId('inpay_'),
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: pi.id },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  });
  store.invoicePayments.set(invoice.id, payments);
  const result = confirmPaymentIntent(store, pi, { paymentMethod: pm, offSession: opts.offSession, forced: opts.forced });
  if (result.status === 'succeeded') {
    markPaid(store, invoice, pi);
    return { paid: true };
  }
  invoice.next_payment_attempt = invoice.subscription && invoice.attempt_count < MAX_ATTEMPTS ? now + RETRY_INTERVAL : null;
  if (result.status === 'requires_action') store.emit('invoice.payment_action_required', invoice);
  store.emit('invoice.payment_failed', invoice);
  return { paid: false, error: result.error ?? null };
}

/** Checkout's invoice_creation: a paid invoice recording a one-off payment. */
export function createCheckoutInvoice(store: Store, session: CheckoutSession, pi: PaymentIntent): Invoice {
  const customer = session.customer ? (store.get(session.customer) as Customer) : null;
  const items = store.sessionItems.get(session.id) ?? [];
  const now = store.now();
  const data = session.invoice_creation?.invoice_data ?? {};
  const invoice = createInvoice(store, {
    customer,
    currency: session.currency ?? pi.currency,
    lines: items.map((item) => ({
      amount: item.amount_total,
      description: item.description,
      quantity: item.quantity,
      price: item.price,
      period: { start: now, end: now },
      proration: false,
      subscription: null,
      subscriptionItem: null,
    })),
    billingReason: 'manual',
    subscription: null,
    periodStart: now,
    periodEnd: now,
    metadata: (data.metadata as Metadata | undefined) ?? {},
    description: (data.description as string | undefined) ?? null,
    customerEmail: (session.customer_details?.email as string | undefined) ?? session.customer_email,
    customerName: (session.customer_details?.name as string | undefined) ?? null,
  });
  invoice.auto_advance = false;
  invoice.footer = (data.footer as string | undefined) ?? null;
  const number = store.nextInvoiceNumber(customer?.invoice_prefix ?? 'EMU', customer);
  invoice.number = number;
  invoice.status = 'open';
  invoice.effective_at = now;
  invoice.ending_balance = 0;
  invoice.status_transitions = { ...invoice.status_transitions, finalized_at: now };
  invoice.hosted_invoice_url = store.url(`/invoices/${invoice.id}`);
  invoice.invoice_pdf = store.url(`/invoices/${invoice.id}/pdf`);
  invoice.attempted = true;
  invoice.attempt_count = 1;
  store.invoicePayments.set(invoice.id, [
    {
      id: store.newId('inpay_'),
      object: 'invoice_payment',
      amount_paid: null,
      amount_requested: invoice.amount_due,
      created: now,
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: pi.id },
      status: 'open',
      status_transitions: { canceled_at: null, paid_at: null },
    },
  ]);
  store.emit('invoice.finalized', invoice);
  markPaid(store, invoice, pi);
  return invoice;
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
  return pm && pm.object === 'payment_method' ? pm : null;
}

function makeItem(store: Store, subId: string, price: Price, quantity: number, start: number, end: number, md: Metadata = {}): SubscriptionItem {
  return {
    id: store.newId('si_', 14),
    object: 'subscription_item',
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

export type PaymentBehavior = 'allow_incomplete' | 'default_incomplete' | 'error_if_incomplete' | 'pending_if_incomplete';

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
  if (!first) throw invalid('Missing required param: items.', param, 'parameter_missing');
  const recurring = first.price.recurring;
  if (!recurring) throw invalid(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, `${param}[0][price]`);
  items.forEach((item, i) => {
    if (!item.price.recurring) throw invalid(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, `${param}[${i}][price]`);
    if (item.price.currency !== first.price.currency) throw invalid('All prices on a subscription must have the same currency.', `${param}[${i}][price]`);
    if (item.price.recurring.interval !== recurring.interval || item.price.recurring.interval_count !== recurring.interval_count) {
      throw invalid('All prices on a subscription must have the same `recurring.interval` and `recurring.interval_count`.', `${param}[${i}][price]`);
    }
  });
  return { currency: first.price.currency, recurring };
}

function noPaymentMethodError(): StripeApiError {
  return invalid(
    'This customer has no attached payment source or default payment method. Please consider adding a default payment method. For more information, visit https://stripe.com/docs/billing/subscriptions/payment-methods-setting#payment-method-priority.',
    undefined,
    'resource_missing',
  );
}

export function createSubscription(store: Store, input: CreateSubscriptionInput): { subscription: Subscription; error: StripeApiError | null } {
  const { currency, recurring } = validateItems(input.items, 'items');
  const behavior = input.paymentBehavior ?? 'allow_incomplete';
  const now = store.now();
  const trialEnd = input.trialEnd ?? (input.trialDays ? now + input.trialDays * DAY : undefined);
  const firstAmount = trialEnd ? 0 : input.items.reduce((s, i) => s + i.price.unit_amount * i.quantity, 0);
  const customerPm =
    input.defaultPaymentMethod ??
    (input.customer.invoice_settings.default_payment_method ? (store.get(input.customer.invoice_settings.default_payment_method) as PaymentMethod) : null);
  if (firstAmount > 0 && behavior !== 'default_incomplete' && !input.forcedFirstPayment) {
    if (!customerPm) throw noPaymentMethodError();
    if (behavior === 'error_if_incomplete') {
      const predicted = predictOutcome(store, customerPm, input.offSession ?? false);
      if (predicted.kind !== 'succeed') throw predicted.error;
    }
  }

  const id = store.newId('sub_');
  const anchor = trialEnd ?? now;
  const periodEnd = trialEnd ?? addInterval(now, recurring.interval, recurring.interval_count);
  const sub: Subscription = {
    id,
    object: 'subscription',
    created: now,
    livemode: false,
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic', updated_at: now },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: 'charge_automatically',
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
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: { object: 'list', data: [], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    managed_payments: null,
    metadata: input.metadata ?? {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd ? 'trialing' : 'incomplete',
    test_clock: null,
    transfer_data: null,
    trial_end: trialEnd ?? null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
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

  const invoice = createInvoice(store, {
    customer: input.customer,
    currency,
    lines: sub.items.data.map((item) => itemLine(store, sub, item, { start: now, end: periodEnd }, Boolean(trialEnd))),
    billingReason: 'subscription_create',
    subscription: sub,
    periodStart: now,
    periodEnd: now,
  }, { silent: true });
  sub.latest_invoice = invoice.id;
  // Stripe creates the subscription as incomplete (or trialing) and moves it to active once the first invoice is paid.
  store.emit('customer.subscription.created', sub);
  store.emit('invoice.created', invoice);
  finalizeInvoice(store, invoice);

  let error: StripeApiError | null = null;
  if (invoice.status === 'open' && behavior !== 'default_incomplete') {
    const result = attemptInvoicePayment(store, invoice, customerPm, { offSession: input.offSession ?? false, forced: input.forcedFirstPayment });
    if (!result.paid) error = result.error;
  }
  if (invoice.status === 'paid' && sub.status === 'incomplete') {
    const before = clone(sub);
    sub.status = 'active';
    store.emitChange('customer.subscription.updated', before, sub);
  }
  return { subscription: sub, error: behavior === 'error_if_incomplete' ? error : null };
}

function cancelNow(store: Store, sub: Subscription, at: number, reason: string, details: { comment?: string | null; feedback?: string | null } = {}): void {
  const before = clone(sub);
  sub.status = 'canceled';
  sub.canceled_at = sub.canceled_at ?? at;
  sub.ended_at = at;
  sub.cancel_at_period_end = false;
  sub.cancellation_details = { comment: details.comment ?? sub.cancellation_details.comment, feedback: details.feedback ?? sub.cancellation_details.feedback, reason };
  store.subscriptionMeta.get(sub.id)?.pending.splice(0);
  store.emit('customer.subscription.deleted', sub, diffKeys(before, sub));
}

function diffKeys(before: Subscription, after: Subscription): Record<string, unknown> {
  const prev: Record<string, unknown> = {};
  for (const k of Object.keys(after)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) prev[k] = clone(before[k]) ?? null;
  }
  return prev;
}

export function cancelSubscription(store: Store, sub: Subscription, opts: { atPeriodEnd: boolean; comment?: string | null; feedback?: string | null }): void {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw invalid(`A canceled subscription can only update its cancellation_details and metadata.`, undefined, 'subscription_canceled');
  }
  if (opts.atPeriodEnd) {
    const before = clone(sub);
    sub.cancel_at_period_end = true;
    sub.cancel_at = sub.current_period_end;
    sub.canceled_at = store.now();
    sub.cancellation_details = { comment: opts.comment ?? null, feedback: opts.feedback ?? null, reason: 'cancellation_requested' };
    store.emitChange('customer.subscription.updated', before, sub);
    return;
  }
  cancelNow(store, sub, store.now(), 'cancellation_requested', opts);
}

export function renewSubscriptionCancellation(store: Store, sub: Subscription): void {
  const before = clone(sub);
  sub.cancel_at_period_end = false;
  sub.cancel_at = null;
  sub.canceled_at = null;
  sub.cancellation_details = { comment: null, feedback: null, reason: null };
  store.emitChange('customer.subscription.updated', before, sub);
}

export interface ItemChange {
  id?: string;
  price?: Price;
  quantity?: number;
  deleted?: boolean;
}

export type ProrationBehavior = 'create_prorations' | 'always_invoice' | 'none';

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
}

function proration(store: Store, sub: Subscription, item: SubscriptionItem, price: Price, quantity: number, sign: 1 | -1, now: number): PendingProration | null {
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
function collectNow(store: Store, sub: Subscription, invoice: Invoice, offSession: boolean): StripeApiError | null {
  finalizeInvoice(store, invoice);
  sub.latest_invoice = invoice.id;
  if (invoice.status !== 'open') return null;
  const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession });
  if (!result.paid && sub.status === 'active') sub.status = 'past_due';
  return result.paid ? null : result.error;
}

export function updateSubscription(store: Store, sub: Subscription, input: UpdateSubscriptionInput): StripeApiError | null {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    if (input.items || input.cancelAtPeriodEnd !== undefined || input.defaultPaymentMethod !== undefined) {
      throw invalid('A canceled subscription can only update its cancellation_details and metadata.', undefined, 'subscription_canceled');
    }
  }
  const before = clone(sub);
  const now = store.now();
  const behavior = input.prorationBehavior ?? 'create_prorations';
  const m = meta(store, sub);
  const oldRecurring = recurringOf(sub);
  const prorations: PendingProration[] = [];
  const inTrial = sub.status === 'trialing';

  if (input.defaultPaymentMethod !== undefined) {
    const pm = input.defaultPaymentMethod;
    if (pm && pm.customer !== sub.customer) {
      throw invalid(`The customer does not have a payment method with the ID ${pm.id}. The payment method must be attached to the customer.`, 'default_payment_method', 'resource_missing');
    }
    sub.default_payment_method = pm?.id ?? null;
  }

  if (input.items) {
    const nextItems = sub.items.data.map((i) => ({ ...i }));
    for (const [index, change] of input.items.entries()) {
      const existing = change.id ? nextItems.find((i) => i.id === change.id) : undefined;
      if (change.id && !existing) throw invalid(`No such subscription item: '${change.id}'`, `items[${index}][id]`, 'resource_missing');
      if (existing && change.deleted) {
        const credit = proration(store, sub, existing, existing.price, existing.quantity, -1, now);
        if (credit) prorations.push(credit);
        nextItems.splice(nextItems.indexOf(existing), 1);
        continue;
      }
      if (existing) {
        const price = change.price ?? existing.price;
        const quantity = change.quantity ?? existing.quantity;
        if (price.id === existing.price.id && quantity === existing.quantity) continue;
        const credit = proration(store, sub, existing, existing.price, existing.quantity, -1, now);
        const debit = proration(store, sub, existing, price, quantity, 1, now);
        if (credit) prorations.push(credit);
        if (debit) prorations.push(debit);
        existing.price = clone(price);
        existing.plan = planFromPrice(price);
        existing.quantity = quantity;
        continue;
      }
      if (!change.price) throw invalid('Missing required param: items[' + index + '][price].', `items[${index}][price]`, 'parameter_missing');
      const item = makeItem(store, sub.id, change.price, change.quantity ?? 1, sub.current_period_start, sub.current_period_end);
      const debit = proration(store, sub, item, change.price, item.quantity, 1, now);
      if (debit) prorations.push(debit);
      nextItems.push(item);
    }
    validateItems(
      nextItems.map((i) => ({ price: i.price, quantity: i.quantity })),
      'items',
    );
    if (input.paymentBehavior === 'error_if_incomplete') {
      const pm = defaultPaymentMethodFor(store, sub);
      const charge = prorations.reduce((s, p) => s + p.amount, 0);
      if (charge > 0 && behavior === 'always_invoice') {
        if (!pm) throw noPaymentMethodError();
        const predicted = predictOutcome(store, pm, true);
        if (predicted.kind !== 'succeed') throw predicted.error;
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
    sub.cancellation_details = { ...sub.cancellation_details, reason: 'cancellation_requested' };
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
  const customer = store.find<Customer>('customer', sub.customer);

  if (input.trialEndNow && inTrial) {
    renewPeriod(store, sub, now, true);
  } else if (intervalChanged && !inTrial) {
    // A new interval restarts the billing cycle now and bills the new period at once (credit for unused time included).
    const credits = behavior === 'none' ? [] : prorations.filter((p) => p.amount < 0);
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
    const invoice = createInvoice(store, { customer, currency: sub.currency, lines, billingReason: 'subscription_update', subscription: sub, periodStart: now, periodEnd: now });
    error = collectNow(store, sub, invoice, true);
  } else if (!inTrial && prorations.length > 0 && behavior !== 'none') {
    if (behavior === 'always_invoice') {
      const lines = [...m.pending.splice(0), ...prorations].map((p) => prorationLine(store, sub, p));
      const invoice = createInvoice(store, { customer, currency: sub.currency, lines, billingReason: 'subscription_update', subscription: sub, periodStart: now, periodEnd: now });
      error = collectNow(store, sub, invoice, true);
    } else {
      m.pending.push(...prorations);
    }
  }
  syncLegacy(sub);
  store.emitChange('customer.subscription.updated', before, sub);
  return input.paymentBehavior === 'error_if_incomplete' ? error : null;
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
  if (sub.status === 'trialing') sub.status = 'active';
  syncLegacy(sub);

  const customer = store.find<Customer>('customer', sub.customer);
  const period = { start: sub.current_period_start, end: sub.current_period_end };
  const lines = [...m.pending.splice(0).map((p) => prorationLine(store, sub, p)), ...sub.items.data.map((item) => itemLine(store, sub, item, period, false))];
  // As in Stripe, invoice.period_* is the period just ended; the lines carry the new period.
  const invoice = createInvoice(store, {
    customer,
    currency: sub.currency,
    lines,
    billingReason: 'subscription_cycle',
    subscription: sub,
    periodStart: previousStart,
    periodEnd: previousEnd,
  }, { silent: true });
  sub.latest_invoice = invoice.id;
  store.emitChange('customer.subscription.updated', before, sub);
  store.emit('invoice.created', invoice);
  finalizeInvoice(store, invoice);
  const afterInvoice = clone(sub);
  if (invoice.status === 'open') {
    const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession: true });
    if (!result.paid) sub.status = 'past_due';
  } else if (sub.status === 'past_due') {
    sub.status = 'active';
  }
  store.emitChange('customer.subscription.updated', afterInvoice, sub);
}

/** After an open subscription invoice gets paid (retry, invoices.pay, portal card update), heal the status. */
export function afterInvoicePaid(store: Store, invoice: Invoice): void {
  if (!invoice.subscription) return;
  const sub = store.get(invoice.subscription) as Subscription | undefined;
  if (!sub || (sub.status !== 'past_due' && sub.status !== 'incomplete' && sub.status !== 'unpaid')) return;
  const stillOpen = store.all<Invoice>('invoice').some((i) => i.subscription === sub.id && i.status === 'open');
  if (stillOpen) return;
  const before = clone(sub);
  sub.status = 'active';
  store.emitChange('customer.subscription.updated', before, sub);
}

/** Retries a customer's open subscription invoices, as Stripe does when a new default card is set. */
export function retryOpenInvoices(store: Store, customerId: string): void {
  for (const invoice of store.all<Invoice>('invoice').reverse()) {
    if (invoice.customer !== customerId || invoice.status !== 'open' || !invoice.subscription) continue;
    const sub = store.get(invoice.subscription) as Subscription | undefined;
    if (!sub || sub.status === 'canceled') continue;
    const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession: true });
    if (result.paid) afterInvoicePaid(store, invoice);
  }
}

/** Brings every subscription and open invoice up to the emulator clock. */
export function tickBilling(store: Store): void {
  const now = store.now();
  for (const sub of store.all<Subscription>('subscription').reverse()) {
    if (sub.status === 'incomplete') {
      if (sub.created + INCOMPLETE_EXPIRY <= now) {
        const before = clone(sub);
        sub.status = 'incomplete_expired';
        sub.ended_at = sub.created + INCOMPLETE_EXPIRY;
        const invoice = sub.latest_invoice ? (store.get(sub.latest_invoice) as Invoice | undefined) : undefined;
        if (invoice && invoice.status === 'open') voidInvoice(store, invoice);
        store.emitChange('customer.subscription.updated', before, sub);
      }
      continue;
    }
    let guard = 0;
    while ((sub.status === 'active' || sub.status === 'past_due' || sub.status === 'trialing') && guard++ < 500) {
      if (sub.cancel_at !== null && sub.cancel_at <= now && sub.cancel_at <= sub.current_period_end) {
        cancelNow(store, sub, sub.cancel_at, 'cancellation_requested');
        break;
      }
      if (sub.current_period_end > now) break;
      renewPeriod(store, sub, sub.current_period_end);
    }
  }
  for (const invoice of store.all<Invoice>('invoice').reverse()) {
    if (invoice.status !== 'open' || invoice.next_payment_attempt === null || invoice.next_payment_attempt > now || !invoice.subscription) continue;
    const sub = store.get(invoice.subscription) as Subscription | undefined;
    if (!sub || sub.status === 'canceled') {
      invoice.next_payment_attempt = null;
      continue;
    }
    const result = attemptInvoicePayment(store, invoice, defaultPaymentMethodFor(store, sub), { offSession: true });
    if (result.paid) {
      afterInvoicePaid(store, invoice);
    } else if (invoice.attempt_count >= MAX_ATTEMPTS) {
      cancelNow(store, sub, now, 'payment_failed');
    }
  }
}

function voidInvoice(store: Store, invoice: Invoice): void {
  if (invoice.status !== 'open') throw invalid(`You can only void an open invoice; this one is ${invoice.status}.`, undefined, 'invoice_not_open');
  invoice.status = 'void';
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions = { ...invoice.status_transitions, voided_at: store.now() };
  store.emit('invoice.voided', invoice);
}

// Routes

function readItems(store: Store, p: Params, required: boolean): ItemChange[] | undefined {
  const items = objArr(p, 'items', { required });
  if (!items) return undefined;
  return items.map((item, i) => {
    const path = `items[${i}]`;
    const priceId = str(item, 'price', { path });
    const priceData = obj(item, 'price_data', { path });
    let price: Price | undefined;
    if (priceId) {
      price = store.findParam<Price>('price', priceId, `${path}[price]`);
      if (!price.active) throw invalid('The price specified is inactive. This field only accepts active prices.', `${path}[price]`);
    } else if (priceData) {
      price = createInlinePrice(store, priceData, `${path}[price_data]`, true);
    }
    return {
      id: str(item, 'id', { path }),
      price,
      quantity: int(item, 'quantity', { min: 0, path }),
      deleted: bool(item, 'deleted', { path }),
    };
  });
}

function readPaymentBehavior(p: Params): PaymentBehavior | undefined {
  return oneOf(p, 'payment_behavior', ['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'pending_if_incomplete'] as const);
}

function readDefaultPm(store: Store, p: Params, customerId: string): PaymentMethod | null | undefined {
  if (p.default_payment_method === undefined) return undefined;
  if (p.default_payment_method === '') return null;
  const pm = resolvePaymentMethod(store, str(p, 'default_payment_method') ?? '', 'default_payment_method');
  if (pm.customer !== customerId) {
    throw invalid(`The customer does not have a payment method with the ID ${pm.id}. The payment method must be attached to the customer.`, 'default_payment_method', 'resource_missing');
  }
  return pm;
}

const LISTED_BY_DEFAULT = new Set(['active', 'past_due', 'trialing', 'unpaid', 'incomplete', 'paused']);

export function registerBilling(r: ApiRouter): void {
  r.post('/v1/subscriptions', ({ store, params, expand }) => {
    const customer = store.findParam<Customer>('customer', str(params, 'customer', { required: true }) ?? '', 'customer');
    const items = readItems(store, params, true) ?? [];
    const inputs: ItemInput[] = items.map((item, i) => {
      if (!item.price) throw invalid(`Missing required param: items[${i}][price].`, `items[${i}][price]`, 'parameter_missing');
      return { price: item.price, quantity: item.quantity ?? 1 };
    });
    const trialEndParam = params.trial_end;
    const { subscription, error } = createSubscription(store, {
      customer,
      items: inputs,
      defaultPaymentMethod: readDefaultPm(store, params, customer.id) ?? null,
      metadata: metadata(params),
      description: str(params, 'description') ?? null,
      trialDays: int(params, 'trial_period_days', { min: 0, max: 730 }),
      trialEnd: typeof trialEndParam === 'string' && trialEndParam !== 'now' ? int(params, 'trial_end') : undefined,
      paymentBehavior: readPaymentBehavior(params),
      cancelAtPeriodEnd: bool(params, 'cancel_at_period_end'),
      offSession: bool(params, 'off_session') ?? false,
    });
    if (error) throw error;
    return render(store, subscription, expand);
  });

  r.get('/v1/subscriptions', ({ store, params, expand }) => {
    const customer = str(params, 'customer');
    const price = str(params, 'price');
    const status = str(params, 'status');
    const items = store.all<Subscription>('subscription').filter((s) => {
      if (customer !== undefined && s.customer !== customer) return false;
      if (price !== undefined && !s.items.data.some((i) => i.price.id === price)) return false;
      if (status === undefined) return LISTED_BY_DEFAULT.has(s.status);
      if (status === 'all') return true;
      if (status === 'ended') return s.status === 'canceled' || s.status === 'incomplete_expired';
      return s.status === status;
    });
    return renderList(store, items.filter((s) => matchesCreated(s.created, params)), params, '/v1/subscriptions', expand);
  });

  r.get('/v1/subscriptions/:id', (ctx) => render(ctx.store, ctx.store.find<Subscription>('subscription', pathParam(ctx, 'id')), ctx.expand));

  r.post('/v1/subscriptions/:id', (ctx) => {
    const { store, params } = ctx;
    const sub = store.find<Subscription>('subscription', pathParam(ctx, 'id'));
    const cancelAtParam = params.cancel_at;
    const error = updateSubscription(store, sub, {
      items: readItems(store, params, false),
      prorationBehavior: oneOf(params, 'proration_behavior', ['create_prorations', 'always_invoice', 'none'] as const),
      paymentBehavior: readPaymentBehavior(params),
      cancelAtPeriodEnd: bool(params, 'cancel_at_period_end'),
      cancelAt: cancelAtParam === '' ? null : cancelAtParam === undefined ? undefined : int(params, 'cancel_at'),
      defaultPaymentMethod: readDefaultPm(store, params, sub.customer),
      metadata: params.metadata !== undefined ? metadata(params, sub.metadata) : undefined,
      description: params.description !== undefined ? (str(params, 'description') ?? null) : undefined,
      trialEndNow: params.trial_end === 'now',
    });
    if (error) throw error;
    return render(store, sub, ctx.expand);
  });

  r.delete('/v1/subscriptions/:id', (ctx) => {
    const { store, params } = ctx;
    const sub = store.find<Subscription>('subscription', pathParam(ctx, 'id'));
    const details = obj(params, 'cancellation_details') ?? {};
    cancelSubscription(store, sub, {
      atPeriodEnd: false,
      comment: str(details, 'comment', { path: 'cancellation_details' }) ?? null,
      feedback: str(details, 'feedback', { path: 'cancellation_details' }) ?? null,
    });
    return render(store, sub, ctx.expand);
  });

  r.get('/v1/subscription_items', ({ store, params, expand }) => {
    const sub = store.findParam<Subscription>('subscription', str(params, 'subscription', { required: true }) ?? '', 'subscription');
    return renderList(store, sub.items.data, params, `/v1/subscription_items?subscription=${sub.id}`, expand);
  });

  r.get('/v1/subscription_items/:id', (ctx) => {
    const id = pathParam(ctx, 'id');
    for (const sub of ctx.store.all<Subscription>('subscription')) {
      const item = sub.items.data.find((i) => i.id === id);
      if (item) return render(ctx.store, item, ctx.expand);
    }
    return ctx.store.find('subscription_item', id);
  });

  r.get('/v1/invoices', ({ store, params, expand }) => {
    const customer = str(params, 'customer');
    const subscription = str(params, 'subscription');
    const status = str(params, 'status');
    const items = store
      .all<Invoice>('invoice')
      .filter(
        (i) =>
          (customer === undefined || i.customer === customer) &&
          (subscription === undefined || i.subscription === subscription) &&
          (status === undefined || i.status === status) &&
          matchesCreated(i.created, params),
      );
    return renderList(store, items, params, '/v1/invoices', expand);
  });

  r.get('/v1/invoices/:id', (ctx) => render(ctx.store, ctx.store.find<Invoice>('invoice', pathParam(ctx, 'id')), ctx.expand));

  r.get('/v1/invoices/:id/lines', (ctx) => {
    const invoice = ctx.store.find<Invoice>('invoice', pathParam(ctx, 'id'));
    return renderList(ctx.store, invoice.lines.data, ctx.params, `/v1/invoices/${invoice.id}/lines`, ctx.expand);
  });

  r.get('/v1/invoice_payments', ({ store, params, expand }) => {
    const invoice = str(params, 'invoice');
    const all = invoice ? (store.invoicePayments.get(invoice) ?? []) : [...store.invoicePayments.values()].flat();
    return renderList(store, [...all].reverse(), params, '/v1/invoice_payments', expand);
  });

  r.post('/v1/invoices/:id', (ctx) => {
    const invoice = ctx.store.find<Invoice>('invoice', pathParam(ctx, 'id'));
    const before = clone(invoice);
    invoice.metadata = metadata(ctx.params, invoice.metadata);
    if (invoice.status === 'draft' && ctx.params.description !== undefined) invoice.description = str(ctx.params, 'description') ?? null;
    ctx.store.emitChange('invoice.updated', before, invoice);
    return render(ctx.store, invoice, ctx.expand);
  });

  r.post('/v1/invoices/:id/finalize', (ctx) => {
    const invoice = ctx.store.find<Invoice>('invoice', pathParam(ctx, 'id'));
    finalizeInvoice(ctx.store, invoice);
    return render(ctx.store, invoice, ctx.expand);
  });

  r.post('/v1/invoices/:id/pay', (ctx) => {
    const { store, params } = ctx;
    const invoice = store.find<Invoice>('invoice', pathParam(ctx, 'id'));
    if (invoice.status === 'draft') finalizeInvoice(store, invoice);
    if (invoice.status === 'paid') throw invalid('Invoice is already paid', undefined, 'invoice_already_paid');
    if (invoice.status !== 'open') throw invalid(`This invoice can no longer be paid; its status is ${invoice.status}.`, undefined, 'invoice_not_open');
    if (bool(params, 'paid_out_of_band')) {
      markPaid(store, invoice, null);
      afterInvoicePaid(store, invoice);
      return render(store, invoice, ctx.expand);
    }
    const pmId = str(params, 'payment_method');
    const sub = invoice.subscription ? (store.get(invoice.subscription) as Subscription) : null;
    const customer = invoice.customer ? (store.get(invoice.customer) as Customer) : null;
    const pm = pmId
      ? resolvePaymentMethod(store, pmId, 'payment_method')
      : sub
        ? defaultPaymentMethodFor(store, sub)
        : customer?.invoice_settings.default_payment_method
          ? (store.get(customer.invoice_settings.default_payment_method) as PaymentMethod)
          : null;
    if (!pm) throw noPaymentMethodError();
    const result = attemptInvoicePayment(store, invoice, pm, { offSession: bool(params, 'off_session') ?? true });
    if (result.paid) {
      afterInvoicePaid(store, invoice);
    } else if (result.error) {
      throw result.error;
    }
    return render(store, invoice, ctx.expand);
  });

  r.post('/v1/invoices/:id/void', (ctx) => {
    const invoice = ctx.store.find<Invoice>('invoice', pathParam(ctx, 'id'));
    voidInvoice(ctx.store, invoice);
    return render(ctx.store, invoice, ctx.expand);
  });

  r.post('/v1/invoices/:id/mark_uncollectible', (ctx) => {
    const invoice = ctx.store.find<Invoice>('invoice', pathParam(ctx, 'id'));
    if (invoice.status !== 'open') throw invalid(`You can only mark an open invoice uncollectible; this one is ${invoice.status}.`, undefined, 'invoice_not_open');
    invoice.status = 'uncollectible';
    invoice.next_payment_attempt = null;
    invoice.status_transitions = { ...invoice.status_transitions, marked_uncollectible_at: ctx.store.now() };
    ctx.store.emit('invoice.marked_uncollectible', invoice);
    return render(ctx.store, invoice, ctx.expand);
  });
}

/** An invoice PaymentIntent that succeeded outside the normal attempt (3-D Secure done later) pays its invoice. */
export function settleInvoiceForPaymentIntent(store: Store, pi: PaymentIntent): void {
  const invoiceId = store.invoiceBySubscriptionPaymentIntent.get(pi.id);
  const invoice = invoiceId ? (store.get(invoiceId) as Invoice | undefined) : undefined;
  if (!invoice || invoice.status !== 'open' || pi.status !== 'succeeded') return;
  markPaid(store, invoice, pi);
  afterInvoicePaid(store, invoice);
}
