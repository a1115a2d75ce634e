// PaymentMethods (test cards and other types), attach/detach, and minimal SetupIntents for saving a card.
import { createHash } from "node:crypto";
import { pathParam, type ApiRouter } from "../api.js";
import { cardForToken, lookupCard, type TestCard } from "../cards.js";
import { invalid, StripeApiError } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { bool, metadata, obj, oneOf, str, strArr, type Params } from "../params.js";
import { clone, randomId, type Store } from "../store.js";
import type { Customer, PaymentMethod, SetupIntent } from "../types.js";

/** Methods that pay once and cannot be saved for later (https://docs.stripe.com/payments/payment-methods/payment-method-support). */
export const SINGLE_USE_METHODS = new Set([
  "wechat_pay",
  "alipay",
  "oxxo",
  "konbini",
  "multibanco",
  "p24",
  "blik",
  "grabpay",
  "fpx",
  "promptpay",
  "pix",
  "customer_balance",
  "swish",
  "twint",
  "eps",
  "giropay",
]);

export interface BillingInput {
  email?: string | null;
  name?: string | null;
}

function billingDetails(b: BillingInput = {}): PaymentMethod["billing_details"] {
  return {
    address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    email: b.email ?? null,
    name: b.name ?? null,
    phone: null,
    tax_id: null,
  };
}

function fingerprint(number: string): string {
  return createHash("sha256").update(number).digest("base64url").slice(0, 16);
}

export function cardDetails(card: TestCard, now: number): NonNullable<PaymentMethod["card"]> {
  return {
    brand: card.brand,
    checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
    country: "US",
    display_brand: card.brand,
    exp_month: 12,
    exp_year: new Date(now * 1000).getUTCFullYear() + 3,
    fingerprint: fingerprint(card.number),
    funding: card.funding,
    generated_from: null,
    last4: card.number.slice(-4),
    networks: { available: [card.brand], preferred: null },
    regulated_status: "unregulated",
    three_d_secure_usage: { supported: true },
    wallet: null,
  };
}

function methodDetails(type: string, billing: BillingInput): Record<string, unknown> {
  switch (type) {
    case "paypal":
      return { country: "US", payer_email: billing.email ?? "buyer@example.com", payer_id: randomId(13).toUpperCase(), payer_name: billing.name ?? null };
    case "naver_pay":
      return { buyer_id: randomId(12), funding: "points" };
    case "kakao_pay":
      return { buyer_id: randomId(12) };
    case "us_bank_account":
      return { account_holder_type: "individual", account_type: "checking", bank_name: "STRIPE TEST BANK", last4: "6789", routing_number: "110000000" };
    case "sepa_debit":
      return { bank_code: "37040044", country: "DE", last4: "3000" };
    default:
      return {};
  }
}

export function createCardPaymentMethod(store: Store, card: TestCard, billing: BillingInput = {}): PaymentMethod {
  const pm: PaymentMethod = {
    ...store.base("payment_method", "pm_"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: billingDetails(billing),
    card: cardDetails(card, store.now()),
    customer: null,
    customer_account: null,
    metadata: {},
    type: "card",
  };
  store.add(pm);
  store.cardNumberByPaymentMethod.set(pm.id, card.number);
  return pm;
}

export function createPaymentMethodOfType(store: Store, type: string, billing: BillingInput = {}): PaymentMethod {
  const pm: PaymentMethod = {
    ...store.base("payment_method", "pm_"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: billingDetails(billing),
    customer: null,
    customer_account: null,
    metadata: {},
    type,
    [type]: methodDetails(type, billing),
  };
  store.add(pm);
  return pm;
}

/** The test card behind a card PaymentMethod. */
export function cardOf(store: Store, pm: PaymentMethod): TestCard | undefined {
  const number = store.cardNumberByPaymentMethod.get(pm.id);
  if (!number) return undefined;
  const found = lookupCard(number);
  return found.ok ? found.card : undefined;
}

/** Accepts a pm_ id or a test token such as pm_card_visa (which, as in Stripe test mode, makes a fresh PaymentMethod). */
export function resolvePaymentMethod(store: Store, idOrToken: string, param: string): PaymentMethod {
  const card = cardForToken(idOrToken);
  if (card) return createCardPaymentMethod(store, card);
  return store.findParam<PaymentMethod>("payment_method", idOrToken, param);
}

export function attachPaymentMethod(store: Store, pm: PaymentMethod, customer: Customer): void {
  if (pm.customer === customer.id) return;
  if (pm.customer !== null) {
    throw invalid("The payment method you provided has already been attached to a customer.", "payment_method", "payment_method_unexpected_state");
  }
  if (SINGLE_USE_METHODS.has(pm.type)) {
    throw invalid(
      `PaymentMethods of type ${pm.type} cannot be attached to a customer because they are single-use.`,
      "payment_method",
      "payment_method_unexpected_state",
    );
  }
  pm.customer = customer.id;
  store.emit("payment_method.attached", pm);
}

export function detachPaymentMethod(store: Store, pm: PaymentMethod): void {
  if (pm.customer === null) {
    throw invalid(`The payment method you provided is not attached to a customer so detachment is impossible.`, undefined, "payment_method_unexpected_state");
  }
  const customer = store.get(pm.customer) as Customer | undefined;
  if (customer && customer.invoice_settings.default_payment_method === pm.id) {
    const before = clone(customer);
    customer.invoice_settings = { ...customer.invoice_settings, default_payment_method: null };
    store.emitChange("customer.updated", before, customer);
  }
  const before = clone(pm);
  pm.customer = null;
  store.emit("payment_method.detached", pm, { customer: before.customer });
}

function createFromParams(store: Store, p: Params): PaymentMethod {
  const type = str(p, "type", { required: true }) ?? "";
  const billingParam = obj(p, "billing_details") ?? {};
  const billing: BillingInput = { email: str(billingParam, "email") ?? null, name: str(billingParam, "name") ?? null };
  let pm: PaymentMethod;
  if (type === "card") {
    const card = obj(p, "card", { required: true }) ?? {};
    const token = str(card, "token", { path: "card" });
    const number = str(card, "number", { path: "card" });
    if (token) {
      const known = cardForToken(token);
      if (!known) throw invalid(`No such token: '${token}'`, "card[token]", "resource_missing");
      pm = createCardPaymentMethod(store, known, billing);
    } else if (number) {
      const found = lookupCard(number);
      if (!found.ok) throw new StripeApiError(402, { type: "card_error", code: found.code, message: found.message, param: "card[number]" });
      pm = createCardPaymentMethod(store, found.card, billing);
    } else {
      throw invalid("Missing required param: card[token].", "card[token]", "parameter_missing");
    }
  } else {
    if (!/^[a-z][a-z0-9_]*$/.test(type)) throw invalid(`Invalid type: ${type}`, "type");
    pm = createPaymentMethodOfType(store, type, billing);
  }
  pm.metadata = metadata(p);
  return pm;
}

// SetupIntents

function createSetupIntent(
  store: Store,
  input: {
    customer: Customer | null;
    pm: PaymentMethod | null;
    types: string[];
    allowed: string[] | null;
    usage: string;
    metadata: Record<string, string>;
    description: string | null;
  },
): SetupIntent {
  const id = store.newId("seti_");
  const seti: SetupIntent = {
    id,
    object: "setup_intent",
    created: store.now(),
    livemode: false,
    allowed_payment_method_types: input.allowed,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomId(32)}`,
    customer: input.customer?.id ?? null,
    description: input.description,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    mandate: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: input.pm?.id ?? null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: "automatic" } },
    payment_method_types: input.types,
    single_use_mandate: null,
    status: input.pm ? "requires_confirmation" : "requires_payment_method",
    usage: input.usage,
  };
  store.add(seti);
  store.emit("setup_intent.created", seti);
  return seti;
}

function succeedSetupIntent(store: Store, seti: SetupIntent, pm: PaymentMethod): void {
  seti.status = "succeeded";
  seti.next_action = null;
  seti.last_setup_error = null;
  seti.payment_method = pm.id;
  if (seti.customer) {
    const customer = store.find<Customer>("customer", seti.customer);
    attachPaymentMethod(store, pm, customer);
  }
  store.emit("setup_intent.succeeded", seti);
}

/** Confirms a SetupIntent with its card's test behaviour; returns an error to raise after state is saved. */
export function confirmSetupIntent(store: Store, seti: SetupIntent, pm: PaymentMethod, returnUrl: string | null): StripeApiError | undefined {
  seti.payment_method = pm.id;
  const card = pm.type === "card" ? cardOf(store, pm) : undefined;
  if (card && card.behaviour === "decline" && !card.declineOnlyOnCharge && card.decline) {
    seti.status = "requires_payment_method";
    seti.payment_method = null;
    const error = {
      type: "card_error",
      code: card.decline.code,
      decline_code: card.decline.decline_code,
      message: card.decline.message,
      payment_method: clone(pm),
    };
    seti.last_setup_error = error;
    store.emit("setup_intent.setup_failed", seti);
    return new StripeApiError(402, { ...error, type: "card_error", setup_intent: clone(seti) });
  }
  if (card && (card.behaviour === "authenticate_always" || card.behaviour === "authenticate_on_session")) {
    seti.status = "requires_action";
    seti.next_action = { type: "redirect_to_url", redirect_to_url: { url: store.url(`/authenticate/${seti.id}`), return_url: returnUrl } };
    store.emit("setup_intent.requires_action", seti);
    return undefined;
  }
  succeedSetupIntent(store, seti, pm);
  return undefined;
}

/** Result of the 3-D Secure page for a SetupIntent. */
export function finishSetupAuthentication(store: Store, seti: SetupIntent, success: boolean): void {
  if (seti.status !== "requires_action" || !seti.payment_method) throw invalid("This SetupIntent does not require authentication.");
  const pm = store.find<PaymentMethod>("payment_method", seti.payment_method);
  if (success) {
    succeedSetupIntent(store, seti, pm);
    return;
  }
  seti.status = "requires_payment_method";
  seti.next_action = null;
  seti.payment_method = null;
  seti.last_setup_error = {
    type: "invalid_request_error",
    code: "setup_intent_authentication_failure",
    message: "The latest attempt to set up the payment method has failed because authentication failed.",
    payment_method: clone(pm),
  };
  store.emit("setup_intent.setup_failed", seti);
}

export function registerPaymentMethods(r: ApiRouter): void {
  r.post("/v1/payment_methods", ({ store, params, expand }) => render(store, createFromParams(store, params), expand));

  r.get("/v1/payment_methods", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const type = str(params, "type");
    const items = store
      .all<PaymentMethod>("payment_method")
      .filter((pm) => (customer === undefined || pm.customer === customer) && (type === undefined || pm.type === type) && matchesCreated(pm.created, params));
    if (customer !== undefined) store.findParam("customer", customer, "customer");
    return renderList(store, customer === undefined ? items.filter((pm) => pm.customer !== null) : items, params, "/v1/payment_methods", expand);
  });

  r.get("/v1/payment_methods/:id", (ctx) => render(ctx.store, resolvePaymentMethod(ctx.store, pathParam(ctx, "id"), "id"), ctx.expand));

  r.post("/v1/payment_methods/:id", (ctx) => {
    const { store, params } = ctx;
    const pm = store.find<PaymentMethod>("payment_method", pathParam(ctx, "id"));
    const before = clone(pm);
    pm.metadata = metadata(params, pm.metadata);
    const billing = obj(params, "billing_details");
    if (billing) {
      pm.billing_details = {
        ...pm.billing_details,
        email: str(billing, "email", { path: "billing_details" }) ?? pm.billing_details.email,
        name: str(billing, "name", { path: "billing_details" }) ?? pm.billing_details.name,
      };
    }
    store.emitChange("payment_method.updated", before, pm);
    return render(store, pm, ctx.expand);
  });

  r.post("/v1/payment_methods/:id/attach", (ctx) => {
    const { store, params } = ctx;
    const pm = resolvePaymentMethod(store, pathParam(ctx, "id"), "id");
    const customerId = str(params, "customer", { required: true }) ?? "";
    const customer = store.findParam<Customer>("customer", customerId, "customer");
    attachPaymentMethod(store, pm, customer);
    return render(store, pm, ctx.expand);
  });

  r.post("/v1/payment_methods/:id/detach", (ctx) => {
    const pm = ctx.store.find<PaymentMethod>("payment_method", pathParam(ctx, "id"));
    detachPaymentMethod(ctx.store, pm);
    return render(ctx.store, pm, ctx.expand);
  });

  r.get("/v1/customers/:customer/payment_methods", (ctx) => {
    const { store, params } = ctx;
    const customer = store.find<Customer>("customer", pathParam(ctx, "customer"), "customer");
    const type = str(params, "type");
    const items = store.all<PaymentMethod>("payment_method").filter((pm) => pm.customer === customer.id && (type === undefined || pm.type === type));
    return renderList(store, items, params, `/v1/customers/${customer.id}/payment_methods`, ctx.expand);
  });

  r.get("/v1/customers/:customer/payment_methods/:id", (ctx) => {
    const pm = ctx.store.find<PaymentMethod>("payment_method", pathParam(ctx, "id"));
    if (pm.customer !== pathParam(ctx, "customer")) throw invalid(`No such PaymentMethod: '${pm.id}'`, "id", "resource_missing");
    return render(ctx.store, pm, ctx.expand);
  });

  // SetupIntents
  r.post("/v1/setup_intents", ({ store, params, expand }) => {
    const customerId = str(params, "customer");
    const customer = customerId ? store.findParam<Customer>("customer", customerId, "customer") : null;
    const pmId = str(params, "payment_method");
    const pm = pmId ? resolvePaymentMethod(store, pmId, "payment_method") : null;
    const seti = createSetupIntent(store, {
      customer,
      pm,
      types: strArr(params, "allowed_payment_method_types") ?? strArr(params, "payment_method_types") ?? ["card"],
      allowed: strArr(params, "allowed_payment_method_types") ?? null,
      usage: oneOf(params, "usage", ["on_session", "off_session"] as const) ?? "off_session",
      metadata: metadata(params),
      description: str(params, "description") ?? null,
    });
    if (bool(params, "confirm")) {
      if (!pm) throw invalid("You cannot confirm this SetupIntent because it is missing a payment method.", "payment_method", "setup_intent_unexpected_state");
      const error = confirmSetupIntent(store, seti, pm, str(params, "return_url") ?? null);
      if (error) throw error;
    }
    return render(store, seti, expand);
  });

  r.get("/v1/setup_intents", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const items = store.all<SetupIntent>("setup_intent").filter((s) => customer === undefined || s.customer === customer);
    return renderList(store, items, params, "/v1/setup_intents", expand);
  });

  r.get("/v1/setup_intents/:id", (ctx) => render(ctx.store, ctx.store.find<SetupIntent>("setup_intent", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/setup_intents/:id", (ctx) => {
    const { store, params } = ctx;
    const seti = store.find<SetupIntent>("setup_intent", pathParam(ctx, "id"));
    seti.metadata = metadata(params, seti.metadata);
    const customerId = str(params, "customer");
    if (customerId) seti.customer = store.findParam<Customer>("customer", customerId, "customer").id;
    const pmId = str(params, "payment_method");
    if (pmId) {
      seti.payment_method = resolvePaymentMethod(store, pmId, "payment_method").id;
      seti.status = "requires_confirmation";
    }
    return render(store, seti, ctx.expand);
  });

  r.post("/v1/setup_intents/:id/confirm", (ctx) => {
    const { store, params } = ctx;
    const seti = store.find<SetupIntent>("setup_intent", pathParam(ctx, "id"));
    if (seti.status === "succeeded" || seti.status === "canceled") {
      throw invalid(`You cannot confirm this SetupIntent because it has a status of ${seti.status}.`, undefined, "setup_intent_unexpected_state");
    }
    const pmId = str(params, "payment_method") ?? seti.payment_method;
    if (!pmId) throw invalid("You cannot confirm this SetupIntent because it is missing a payment method.", "payment_method", "setup_intent_unexpected_state");
    const pm = resolvePaymentMethod(store, pmId, "payment_method");
    const error = confirmSetupIntent(store, seti, pm, str(params, "return_url") ?? null);
    if (error) throw error;
    return render(store, seti, ctx.expand);
  });

  r.post("/v1/setup_intents/:id/cancel", (ctx) => {
    const { store, params } = ctx;
    const seti = store.find<SetupIntent>("setup_intent", pathParam(ctx, "id"));
    if (seti.status === "succeeded" || seti.status === "canceled") {
      throw invalid(`You cannot cancel this SetupIntent because it has a status of ${seti.status}.`, undefined, "setup_intent_unexpected_state");
    }
    seti.status = "canceled";
    seti.cancellation_reason = str(params, "cancellation_reason") ?? null;
    store.emit("setup_intent.canceled", seti);
    return render(store, seti, ctx.expand);
  });
}
