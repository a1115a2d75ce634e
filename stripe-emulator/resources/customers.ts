// Customers: create/retrieve/update/delete/list, and the default payment method used for invoices.
import { pathParam, type ApiRouter } from "../api.js";
import { invalid } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { has, metadata, obj, str, type Params } from "../params.js";
import { clone, randomId, type Store } from "../store.js";
import type { Customer, PaymentMethod } from "../types.js";
import { resolvePaymentMethod } from "./payment-methods.js";

export interface CustomerInput {
  email?: string | null;
  name?: string | null;
  description?: string | null;
  phone?: string | null;
  metadata?: Record<string, string>;
}

/** `silent` defers customer.created so a caller can finish setting the customer up first. */
export function createCustomer(store: Store, input: CustomerInput, opts: { silent?: boolean } = {}): Customer {
  const customer: Customer = {
    ...store.base("customer", "cus_", 14),
    object: "customer",
    address: null,
    balance: 0,
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: randomId(8)
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "X"),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    metadata: input.metadata ?? {},
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
  store.add(customer);
  if (!opts.silent) store.emit("customer.created", customer);
  return customer;
}

/** Sets the invoice default payment method and emits customer.updated. */
export function setDefaultPaymentMethod(store: Store, customer: Customer, pm: PaymentMethod | null): void {
  const before = clone(customer);
  customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: pm ? pm.id : null };
  store.emitChange("customer.updated", before, customer);
}

function readCustomerInput(p: Params, existing?: Customer): CustomerInput {
  const email = str(p, "email", { max: 512 });
  if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email)) throw invalid(`Invalid email address: ${email}`, "email", "email_invalid");
  return {
    email: p.email === "" ? null : email,
    name: p.name === "" ? null : str(p, "name", { max: 256 }),
    description: p.description === "" ? null : str(p, "description", { max: 350 }),
    phone: p.phone === "" ? null : str(p, "phone", { max: 20 }),
    metadata: metadata(p, existing?.metadata),
  };
}

/** Applies invoice_settings[default_payment_method] without emitting; the caller emits one event for the whole request. */
function applyDefaultPaymentMethodParam(store: Store, customer: Customer, p: Params): void {
  const settings = obj(p, "invoice_settings");
  if (!settings || settings.default_payment_method === undefined) return;
  if (settings.default_payment_method === "") {
    customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: null };
    return;
  }
  const id = str(settings, "default_payment_method", { path: "invoice_settings" }) ?? "";
  const pm = store.get(id) as PaymentMethod | undefined;
  if (!pm || pm.object !== "payment_method" || pm.customer !== customer.id) {
    throw invalid(
      `No such PaymentMethod: '${id}'; It's possible this PaymentMethod exists on one of your connected accounts, in which case you should retry this request on that connected account. The customer does not have a payment method with the ID ${id}. The payment method must be attached to the customer.`,
      "invoice_settings[default_payment_method]",
      "resource_missing",
    );
  }
  customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: pm.id };
}

export function registerCustomers(r: ApiRouter): void {
  r.post("/v1/customers", ({ store, params, expand }) => {
    const customer = createCustomer(store, readCustomerInput(params), { silent: true });
    const pmId = str(params, "payment_method");
    const pm = pmId ? resolvePaymentMethod(store, pmId, "payment_method") : undefined;
    if (pm) {
      if (pm.customer !== null)
        throw invalid("The payment method you provided has already been attached to a customer.", "payment_method", "payment_method_unexpected_state");
      pm.customer = customer.id;
    }
    applyDefaultPaymentMethodParam(store, customer, params);
    // One customer.created carrying the final state, then the attachment, as Stripe orders them.
    store.emit("customer.created", customer);
    if (pm) store.emit("payment_method.attached", pm);
    return render(store, customer, expand);
  });

  r.get("/v1/customers", ({ store, params, expand }) => {
    const email = str(params, "email");
    const items = store.all<Customer>("customer").filter((c) => (email === undefined || c.email === email) && matchesCreated(c.created, params));
    return renderList(store, items, params, "/v1/customers", expand);
  });

  r.get("/v1/customers/:id", (ctx) => {
    const id = pathParam(ctx, "id");
    const found = ctx.store.get(id);
    if (found?.object === "customer" && found.deleted === true) return { id, object: "customer", deleted: true };
    return render(ctx.store, ctx.store.find<Customer>("customer", id), ctx.expand);
  });

  r.post("/v1/customers/:id", (ctx) => {
    const { store, params } = ctx;
    const customer = store.find<Customer>("customer", pathParam(ctx, "id"));
    const before = clone(customer);
    const input = readCustomerInput(params, customer);
    if (input.email !== undefined) customer.email = input.email;
    if (input.name !== undefined) customer.name = input.name;
    if (input.description !== undefined) customer.description = input.description;
    if (input.phone !== undefined) customer.phone = input.phone;
    customer.metadata = input.metadata ?? customer.metadata;
    if (has(params, "balance")) {
      const balance = Number(params.balance);
      if (!Number.isSafeInteger(balance)) throw invalid(`Invalid integer: ${String(params.balance)}`, "balance");
      customer.balance = balance;
    }
    applyDefaultPaymentMethodParam(store, customer, params);
    store.emitChange("customer.updated", before, customer);
    return render(store, customer, ctx.expand);
  });

  r.delete("/v1/customers/:id", (ctx) => {
    const customer = ctx.store.find<Customer>("customer", pathParam(ctx, "id"));
    ctx.store.emit("customer.deleted", customer);
    customer.deleted = true;
    return { id: customer.id, object: "customer", deleted: true };
  });
}
