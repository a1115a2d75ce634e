// Invoices: drafts, finalization with customer credit, collection attempts (dunning), hosted/PDF URLs, and their routes.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid, StripeApiError } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { bool, metadata, obj, oneOf, str, type Metadata } from "../params.js";
import { clone, type Store } from "../store.js";
import type { CheckoutSession, Customer, Invoice, InvoiceLine, PaymentIntent, PaymentMethod, Price, Subscription } from "../types.js";
import { resolvePaymentMethod } from "./payment-methods.js";
import { confirmPaymentIntent, createPaymentIntent, type ForcedOutcome } from "./payments.js";
import { afterInvoicePaid, defaultPaymentMethodFor, noPaymentMethodError } from "./subscriptions.js";

export interface LineSpec {
  amount: number;
  description: string;
  quantity: number | null;
  price: Price | null;
  period: { start: number; end: number };
  proration: boolean;
  subscription: string | null;
  subscriptionItem: string | null;
  /** The invoice item the line bills, when it came from one (invoiceitems.create). */
  invoiceItem?: string;
}

export function makeLine(store: Store, invoiceId: string, currency: string, spec: LineSpec): InvoiceLine {
  const invoiceItem = spec.invoiceItem ?? (spec.subscriptionItem === null || spec.proration ? store.newId("ii_") : null);
  return {
    id: store.newId("il_"),
    object: "line_item",
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
            type: "subscription_item_details",
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
            type: "invoice_item_details",
            invoice_item_details: { invoice_item: invoiceItem, proration: false, proration_details: { credited_items: null }, subscription: spec.subscription },
            subscription_item_details: null,
          },
    period: spec.period,
    pretax_credit_amounts: [],
    pricing: spec.price
      ? { type: "price_details", price_details: { price: spec.price.id, product: spec.price.product }, unit_amount_decimal: spec.price.unit_amount_decimal }
      : null,
    quantity: spec.quantity,
    quantity_decimal: spec.quantity === null ? null : String(spec.quantity),
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
  const invoice = buildInvoice(store, store.base("invoice", "in_"), input);
  store.add(invoice);
  store.invoicePayments.set(invoice.id, []);
  if (!opts.silent) store.emit("invoice.created", invoice);
  return invoice;
}

/** An invoice as `invoices.createPreview` answers: never stored, id `upcoming_in_…`, the customer's credit applied as it would be. */
export function previewInvoice(store: Store, input: InvoiceInput): Invoice {
  const invoice = buildInvoice(store, { ...store.base("invoice", "upcoming_in_"), object: "invoice" }, input);
  const starting = input.customer?.balance ?? 0;
  const applied = invoice.total + starting;
  invoice.starting_balance = starting;
  invoice.ending_balance = applied < 0 ? applied : 0;
  invoice.amount_due = Math.max(0, applied);
  invoice.amount_remaining = invoice.amount_due;
  return invoice;
}

function buildInvoice(store: Store, base: { id: string; object: string; created: number; livemode: false }, input: InvoiceInput): Invoice {
  const total = input.lines.reduce((sum, l) => sum + l.amount, 0);
  const lines = input.lines.map((l) => makeLine(store, base.id, input.currency, l));
  const sub = input.subscription;
  const invoice: Invoice = {
    ...base,
    object: "invoice",
    account_country: "US",
    account_name: "Creditdesk (Stripe emulator)",
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
    collection_method: "charge_automatically",
    currency: input.currency,
    custom_fields: null,
    customer: input.customer?.id ?? null,
    customer_account: null,
    customer_address: null,
    customer_email: input.customer?.email ?? input.customerEmail ?? null,
    customer_name: input.customer?.name ?? input.customerName ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
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
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: "list", data: lines, has_more: false, url: `/v1/invoices/${base.id}/lines` },
    metadata: input.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: sub ? { type: "subscription_details", quote_details: null, subscription_details: { metadata: clone(sub.metadata), subscription: sub.id } } : null,
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
    status: "draft",
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
  return invoice;
}

export function markPaid(store: Store, invoice: Invoice, pi: PaymentIntent | null): void {
  const now = store.now();
  invoice.status = "paid";
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions = { ...invoice.status_transitions, paid_at: now };
  if (pi) {
    const payments = store.invoicePayments.get(invoice.id) ?? [];
    const record = payments.find((p) => p.payment.payment_intent === pi.id);
    if (record) {
      record.status = "paid";
      record.amount_paid = pi.amount;
      record.status_transitions = { ...record.status_transitions, paid_at: now };
    }
  }
  store.emit("invoice.paid", invoice);
  store.emit("invoice.payment_succeeded", invoice);
}

/** Draft → open: applies the customer's credit balance, numbers the invoice, gives it hosted and PDF URLs. */
export function finalizeInvoice(store: Store, invoice: Invoice): void {
  if (invoice.status !== "draft")
    throw invalid(`This invoice is already finalized, you can't re-finalize a non-draft invoice.`, undefined, "invoice_not_editable");
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
    store.emitChange("customer.updated", before, customer);
  }
  invoice.number = store.nextInvoiceNumber(customer?.invoice_prefix ?? "EMU", customer ?? null);
  invoice.status = "open";
  invoice.effective_at = now;
  invoice.status_transitions = { ...invoice.status_transitions, finalized_at: now };
  invoice.hosted_invoice_url = store.url(`/invoices/${invoice.id}`);
  invoice.invoice_pdf = store.url(`/invoices/${invoice.id}/pdf`);
  invoice.webhooks_delivered_at = now;
  store.emit("invoice.finalized", invoice);
  if (invoice.amount_due === 0) markPaid(store, invoice, null);
}

function paymentDescription(reason: string | null): string {
  switch (reason) {
    case "subscription_create":
      return "Subscription creation";
    case "subscription_update":
      return "Subscription update";
    case "subscription_cycle":
      return "Subscription cycle";
    default:
      return "Invoice payment";
  }
}

export type InvoicePaymentResult = { paid: true } | { paid: false; error: StripeApiError | null };

/** When dunning tries a failed subscription invoice again (store.dunning); null once the attempts are used up. */
function nextAttempt(store: Store, invoice: Invoice, now: number): number | null {
  return invoice.subscription && invoice.attempt_count < store.dunning.maxAttempts ? now + store.dunning.retryIntervalSeconds : null;
}

/** Tries to collect an open invoice; records the attempt the way Stripe's dunning does. */
export function attemptInvoicePayment(
  store: Store,
  invoice: Invoice,
  pm: PaymentMethod | null,
  opts: { offSession: boolean; forced?: ForcedOutcome },
): InvoicePaymentResult {
  if (invoice.status !== "open") throw invalid(`Invoice is already ${invoice.status}.`, undefined, "invoice_not_open");
  const now = store.now();
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (!pm) {
    invoice.next_payment_attempt = nextAttempt(store, invoice, now);
    store.emit("invoice.payment_failed", invoice);
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
    id: store.newId("inpay_"),
    object: "invoice_payment",
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created: now,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: pi.id },
    status: "open",
    status_transitions: { canceled_at: null, paid_at: null },
  });
  store.invoicePayments.set(invoice.id, payments);
  const result = confirmPaymentIntent(store, pi, { paymentMethod: pm, offSession: opts.offSession, forced: opts.forced });
  if (result.status === "succeeded") {
    markPaid(store, invoice, pi);
    return { paid: true };
  }
  invoice.next_payment_attempt = nextAttempt(store, invoice, now);
  if (result.status === "requires_action") store.emit("invoice.payment_action_required", invoice);
  store.emit("invoice.payment_failed", invoice);
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
    billingReason: "manual",
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
  const number = store.nextInvoiceNumber(customer?.invoice_prefix ?? "EMU", customer);
  invoice.number = number;
  invoice.status = "open";
  invoice.effective_at = now;
  invoice.ending_balance = 0;
  invoice.status_transitions = { ...invoice.status_transitions, finalized_at: now };
  invoice.hosted_invoice_url = store.url(`/invoices/${invoice.id}`);
  invoice.invoice_pdf = store.url(`/invoices/${invoice.id}/pdf`);
  invoice.attempted = true;
  invoice.attempt_count = 1;
  store.invoicePayments.set(invoice.id, [
    {
      id: store.newId("inpay_"),
      object: "invoice_payment",
      amount_paid: null,
      amount_requested: invoice.amount_due,
      created: now,
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { type: "payment_intent", payment_intent: pi.id },
      status: "open",
      status_transitions: { canceled_at: null, paid_at: null },
    },
  ]);
  store.emit("invoice.finalized", invoice);
  markPaid(store, invoice, pi);
  return invoice;
}

export function voidInvoice(store: Store, invoice: Invoice): void {
  if (invoice.status !== "open") throw invalid(`You can only void an open invoice; this one is ${invoice.status}.`, undefined, "invoice_not_open");
  invoice.status = "void";
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions = { ...invoice.status_transitions, voided_at: store.now() };
  store.emit("invoice.voided", invoice);
}

/** An invoice PaymentIntent that succeeded outside the normal attempt (3-D Secure done later) pays its invoice. */
export function settleInvoiceForPaymentIntent(store: Store, pi: PaymentIntent): void {
  const invoiceId = store.invoiceBySubscriptionPaymentIntent.get(pi.id);
  const invoice = invoiceId ? (store.get(invoiceId) as Invoice | undefined) : undefined;
  if (!invoice || invoice.status !== "open" || pi.status !== "succeeded") return;
  markPaid(store, invoice, pi);
  afterInvoicePaid(store, invoice);
}

export function registerInvoices(r: ApiRouter): void {
  r.get("/v1/invoices", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const subscription = str(params, "subscription");
    const status = str(params, "status");
    const items = store
      .all<Invoice>("invoice")
      .filter(
        (i) =>
          (customer === undefined || i.customer === customer) &&
          (subscription === undefined || i.subscription === subscription) &&
          (status === undefined || i.status === status) &&
          matchesCreated(i.created, params),
      );
    return renderList(store, items, params, "/v1/invoices", expand);
  });

  r.get("/v1/invoices/:id", (ctx) => render(ctx.store, ctx.store.find<Invoice>("invoice", pathParam(ctx, "id")), ctx.expand));

  r.get("/v1/invoices/:id/lines", (ctx) => {
    const invoice = ctx.store.find<Invoice>("invoice", pathParam(ctx, "id"));
    return renderList(ctx.store, invoice.lines.data, ctx.params, `/v1/invoices/${invoice.id}/lines`, ctx.expand);
  });

  r.get("/v1/invoice_payments", ({ store, params, expand }) => {
    const invoice = str(params, "invoice");
    // payment[type]=payment_intent&payment[payment_intent]=pi_…: the invoice a PaymentIntent paid (or tried to).
    const payment = obj(params, "payment");
    const type = payment ? oneOf(payment, "type", ["payment_intent", "payment_record"] as const, { required: true, path: "payment" }) : undefined;
    const intent = payment ? str(payment, "payment_intent", { path: "payment" }) : undefined;
    const all = invoice ? (store.invoicePayments.get(invoice) ?? []) : [...store.invoicePayments.values()].flat();
    const matching = all.filter((p) => type === undefined || (p.payment.type === type && (intent === undefined || p.payment.payment_intent === intent)));
    return renderList(store, [...matching].reverse(), params, "/v1/invoice_payments", expand);
  });

  r.post("/v1/invoices/:id", (ctx) => {
    const invoice = ctx.store.find<Invoice>("invoice", pathParam(ctx, "id"));
    const before = clone(invoice);
    invoice.metadata = metadata(ctx.params, invoice.metadata);
    if (invoice.status === "draft" && ctx.params.description !== undefined) invoice.description = str(ctx.params, "description") ?? null;
    ctx.store.emitChange("invoice.updated", before, invoice);
    return render(ctx.store, invoice, ctx.expand);
  });

  r.post("/v1/invoices/:id/finalize", (ctx) => {
    const invoice = ctx.store.find<Invoice>("invoice", pathParam(ctx, "id"));
    finalizeInvoice(ctx.store, invoice);
    return render(ctx.store, invoice, ctx.expand);
  });

  r.post("/v1/invoices/:id/pay", (ctx) => {
    const { store, params } = ctx;
    const invoice = store.find<Invoice>("invoice", pathParam(ctx, "id"));
    if (invoice.status === "draft") finalizeInvoice(store, invoice);
    if (invoice.status === "paid") throw invalid("Invoice is already paid", undefined, "invoice_already_paid");
    if (invoice.status !== "open") throw invalid(`This invoice can no longer be paid; its status is ${invoice.status}.`, undefined, "invoice_not_open");
    if (bool(params, "paid_out_of_band")) {
      markPaid(store, invoice, null);
      afterInvoicePaid(store, invoice);
      return render(store, invoice, ctx.expand);
    }
    const pmId = str(params, "payment_method");
    const sub = invoice.subscription ? (store.get(invoice.subscription) as Subscription) : null;
    const customer = invoice.customer ? (store.get(invoice.customer) as Customer) : null;
    const pm = pmId
      ? resolvePaymentMethod(store, pmId, "payment_method")
      : sub
        ? defaultPaymentMethodFor(store, sub)
        : customer?.invoice_settings.default_payment_method
          ? (store.get(customer.invoice_settings.default_payment_method) as PaymentMethod)
          : null;
    if (!pm) throw noPaymentMethodError();
    const result = attemptInvoicePayment(store, invoice, pm, { offSession: bool(params, "off_session") ?? true });
    if (result.paid) {
      afterInvoicePaid(store, invoice);
    } else if (result.error) {
      throw result.error;
    }
    return render(store, invoice, ctx.expand);
  });

  r.post("/v1/invoices/:id/void", (ctx) => {
    const invoice = ctx.store.find<Invoice>("invoice", pathParam(ctx, "id"));
    voidInvoice(ctx.store, invoice);
    return render(ctx.store, invoice, ctx.expand);
  });

  r.post("/v1/invoices/:id/mark_uncollectible", (ctx) => {
    const invoice = ctx.store.find<Invoice>("invoice", pathParam(ctx, "id"));
    if (invoice.status !== "open")
      throw invalid(`You can only mark an open invoice uncollectible; this one is ${invoice.status}.`, undefined, "invoice_not_open");
    invoice.status = "uncollectible";
    invoice.next_payment_attempt = null;
    invoice.status_transitions = { ...invoice.status_transitions, marked_uncollectible_at: ctx.store.now() };
    ctx.store.emit("invoice.marked_uncollectible", invoice);
    return render(ctx.store, invoice, ctx.expand);
  });
}
