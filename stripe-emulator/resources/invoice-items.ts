// Invoice items and one-off invoices: a charge (or a credit, when negative) waits as a pending item until an invoice
// takes it in, a subscription's renewal, or `invoices.create` with pending_invoice_items_behavior "include"; an item
// can also go straight onto a draft invoice. Drafts made by `invoices.create` with auto_advance finalize an hour later
// (emulator clock), and are then charged to the customer's default card, as Stripe does.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid } from "../errors.js";
import { render, renderList } from "../expand.js";
import { bool, int, metadata, obj, oneOf, str } from "../params.js";
import { clone, type Store } from "../store.js";
import type { Customer, Invoice, InvoiceItem, PaymentMethod, Subscription } from "../types.js";
import { attemptInvoicePayment, createInvoice, finalizeInvoice, makeLine, type LineSpec } from "./invoices.js";

const AUTO_FINALIZE_SECONDS = 3600;

const subscriptionOf = (item: InvoiceItem): string | null => item.parent?.subscription_details.subscription ?? null;

function lineOf(item: InvoiceItem): LineSpec {
  return {
    amount: item.amount,
    description: item.description ?? "Invoice item",
    quantity: item.quantity,
    price: null,
    period: item.period,
    proration: false,
    subscription: subscriptionOf(item),
    subscriptionItem: null,
    invoiceItem: item.id,
  };
}

/**
 * The customer's pending items an invoice takes in: for a subscription's invoice, those of that subscription and those
 * of none; for a one-off invoice, all of the customer's. `claim` marks them taken by the invoice made from the lines.
 */
export function pendingItems(store: Store, customerId: string, subscriptionId: string | null): { lines: LineSpec[]; claim: (invoiceId: string) => void } {
  const items = store
    .all<InvoiceItem>("invoiceitem")
    .reverse()
    .filter((i) => i.customer === customerId && i.invoice === null && (subscriptionId === null || [null, subscriptionId].includes(subscriptionOf(i))));
  return {
    lines: items.map(lineOf),
    claim: (invoiceId) => {
      for (const item of items) item.invoice = invoiceId;
    },
  };
}

function recomputeTotals(invoice: Invoice): void {
  const total = invoice.lines.data.reduce((sum, l) => sum + l.amount, 0);
  Object.assign(invoice, { subtotal: total, subtotal_excluding_tax: total, total, total_excluding_tax: total });
  invoice.amount_due = Math.max(0, total);
  invoice.amount_remaining = invoice.amount_due;
}

function customerCard(store: Store, customer: Customer | undefined): PaymentMethod | null {
  const id = customer?.invoice_settings.default_payment_method;
  return id ? ((store.get(id) as PaymentMethod | undefined) ?? null) : null;
}

/** Finalizes auto-advancing one-off drafts whose hour is up and charges the open ones to the customer's default card. */
export function tickDraftInvoices(store: Store): void {
  const now = store.now();
  for (const invoice of store.all<Invoice>("invoice").reverse()) {
    const at = invoice.automatically_finalizes_at as number | null | undefined;
    if (invoice.status !== "draft" || !invoice.auto_advance || !at || at > now) continue;
    invoice.automatically_finalizes_at = null;
    finalizeInvoice(store, invoice);
    // finalizeInvoice may have paid it already (nothing due).
    if ((invoice.status as Invoice["status"]) !== "open" || invoice.collection_method !== "charge_automatically") continue;
    const customer = invoice.customer ? (store.get(invoice.customer) as Customer | undefined) : undefined;
    attemptInvoicePayment(store, invoice, customerCard(store, customer), { offSession: true });
  }
}

export function registerInvoiceItems(r: ApiRouter): void {
  r.post("/v1/invoiceitems", ({ store, params, expand }) => {
    const customer = store.findParam<Customer>("customer", str(params, "customer", { required: true })!, "customer");
    const amount = int(params, "amount", { required: true, min: -99_999_999, max: 99_999_999 })!;
    const currency = (str(params, "currency") ?? (customer.currency as string | null) ?? "usd").toLowerCase();
    const subId = str(params, "subscription");
    const sub = subId ? store.findParam<Subscription>("subscription", subId, "subscription") : null;
    if (sub && sub.customer !== customer.id) throw invalid("The subscription does not belong to this customer.", "subscription");
    const invoiceId = str(params, "invoice");
    const invoice = invoiceId ? store.findParam<Invoice>("invoice", invoiceId, "invoice") : null;
    if (invoice && invoice.status !== "draft") throw invalid(`You can only add invoice items to draft invoices; this one is ${invoice.status}.`, "invoice");
    if (invoice && invoice.customer !== customer.id) throw invalid("The invoice does not belong to this customer.", "invoice");
    const period = obj(params, "period");
    const now = store.now();
    const start = period ? int(period, "start", { required: true, path: "period" })! : now;
    const end = period ? int(period, "end", { required: true, path: "period" })! : now;
    if (end < start) throw invalid("The period end must be on or after its start.", "period[end]");
    const item: InvoiceItem = {
      ...store.base("invoiceitem", "ii_"),
      object: "invoiceitem",
      amount,
      currency,
      customer: customer.id,
      date: now,
      description: str(params, "description", { max: 500 }) ?? null,
      discountable: amount >= 0,
      discounts: [],
      invoice: null,
      metadata: metadata(params),
      period: { start, end },
      proration: false,
      quantity: 1,
      quantity_decimal: "1",
      tax_rates: [],
      test_clock: null,
      parent: sub ? { type: "subscription_details", subscription_details: { subscription: sub.id } } : null,
      pricing: { type: "price_details", unit_amount_decimal: String(amount) },
      net_amount: amount,
      customer_account: null,
    };
    store.add(item);
    if (invoice) {
      const before = clone(invoice);
      item.invoice = invoice.id;
      invoice.lines.data.push(makeLine(store, invoice.id, invoice.currency, lineOf(item)));
      recomputeTotals(invoice);
      store.emitChange("invoice.updated", before, invoice);
    }
    store.emit("invoiceitem.created", item);
    return render(store, item, expand);
  });

  r.get("/v1/invoiceitems/:id", (ctx) => render(ctx.store, ctx.store.find<InvoiceItem>("invoiceitem", pathParam(ctx, "id")), ctx.expand));

  r.get("/v1/invoiceitems", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const invoice = str(params, "invoice");
    const pending = bool(params, "pending");
    const items = store
      .all<InvoiceItem>("invoiceitem")
      .filter(
        (i) =>
          (customer === undefined || i.customer === customer) &&
          (invoice === undefined || i.invoice === invoice) &&
          (pending === undefined || (i.invoice === null) === pending),
      );
    return renderList(store, items, params, "/v1/invoiceitems", expand);
  });

  r.delete("/v1/invoiceitems/:id", (ctx) => {
    const item = ctx.store.find<InvoiceItem>("invoiceitem", pathParam(ctx, "id"));
    const invoice = item.invoice ? (ctx.store.get(item.invoice) as Invoice | undefined) : undefined;
    if (invoice && invoice.status !== "draft")
      throw invalid("This invoice item is on a finalized invoice and cannot be deleted.", undefined, "invoice_not_editable");
    if (invoice) {
      invoice.lines.data = invoice.lines.data.filter(
        (l) => (l.parent as { invoice_item_details?: { invoice_item?: string } } | null)?.invoice_item_details?.invoice_item !== item.id,
      );
      recomputeTotals(invoice);
    }
    item.deleted = true;
    ctx.store.emit("invoiceitem.deleted", item);
    return { id: item.id, object: "invoiceitem", deleted: true };
  });

  r.post("/v1/invoices", ({ store, params, expand }) => {
    const customer = store.findParam<Customer>("customer", str(params, "customer", { required: true })!, "customer");
    const subId = str(params, "subscription");
    const sub = subId ? store.findParam<Subscription>("subscription", subId, "subscription") : null;
    if (sub && sub.customer !== customer.id) throw invalid("The subscription does not belong to this customer.", "subscription");
    const behavior = oneOf(params, "pending_invoice_items_behavior", ["include", "exclude"] as const) ?? "exclude";
    const collection = oneOf(params, "collection_method", ["charge_automatically", "send_invoice"] as const) ?? "charge_automatically";
    const daysUntilDue = int(params, "days_until_due", { min: 0, max: 3650 });
    if (collection === "send_invoice" && daysUntilDue === undefined) throw invalid("Missing required param: days_until_due.", "days_until_due");
    const pending = behavior === "include" ? pendingItems(store, customer.id, sub?.id ?? null) : null;
    const now = store.now();
    const invoice = createInvoice(
      store,
      {
        customer,
        currency: (str(params, "currency") ?? (customer.currency as string | null) ?? "usd").toLowerCase(),
        lines: pending?.lines ?? [],
        billingReason: "manual",
        subscription: sub,
        periodStart: now,
        periodEnd: now,
        metadata: metadata(params),
        description: str(params, "description", { max: 1500 }) ?? null,
      },
      { silent: true },
    );
    pending?.claim(invoice.id);
    invoice.collection_method = collection;
    invoice.auto_advance = bool(params, "auto_advance") ?? true;
    invoice.automatically_finalizes_at = invoice.auto_advance ? now + AUTO_FINALIZE_SECONDS : null;
    if (daysUntilDue !== undefined) invoice.due_date = now + daysUntilDue * 86_400;
    store.emit("invoice.created", invoice);
    return render(store, invoice, expand);
  });
}
