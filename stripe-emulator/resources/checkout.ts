// Checkout Sessions: creation with Stripe's validations, the payment attempt behind the hosted/embedded page, completion, expiry.
import { pathParam, type ApiRouter } from "../api.js";
import { GENERIC_DECLINE, lookupCard, type TestCard } from "../cards.js";
import { invalid } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { formatMoney, minimumCharge } from "../money.js";
import { bool, int, metadata, obj, objArr, oneOf, str, strArr, url, type Params } from "../params.js";
import { clone, randomId, type Store } from "../store.js";
import type { CheckoutItem, CheckoutSession, Customer, PaymentIntent, Price, Product, SetupIntent } from "../types.js";
import { createInlinePrice } from "./catalog.js";
import { createCustomer } from "./customers.js";
import { createCheckoutInvoice } from "./invoices.js";
import { createSubscription } from "./subscriptions.js";
import { attachPaymentMethod, createCardPaymentMethod, createPaymentMethodOfType, SINGLE_USE_METHODS } from "./payment-methods.js";
import { cancelPaymentIntent, confirmPaymentIntent, createPaymentIntent, finishAuthentication, settlePaymentIntent, type ForcedOutcome } from "./payments.js";

/** Methods whose payment confirms later (the page offers "Leave pending" for them). */
export const DELAYED_METHODS = new Set([
  "us_bank_account",
  "sepa_debit",
  "bacs_debit",
  "au_becs_debit",
  "acss_debit",
  "nz_bank_account",
  "boleto",
  "konbini",
  "oxxo",
  "multibanco",
  "customer_balance",
  "sofort",
  "pay_by_bank",
]);

/** Currencies some methods accept (https://docs.stripe.com/payments/payment-methods/payment-method-support); others take any. */
const METHOD_CURRENCIES: Record<string, readonly string[]> = {
  naver_pay: ["krw"],
  kakao_pay: ["krw"],
  payco: ["krw"],
  samsung_pay: ["krw"],
  wechat_pay: ["aud", "cad", "chf", "cny", "dkk", "eur", "gbp", "hkd", "jpy", "nok", "sek", "sgd", "usd"],
  alipay: ["aud", "cad", "cny", "eur", "gbp", "hkd", "jpy", "myr", "nzd", "sgd", "usd"],
  us_bank_account: ["usd"],
  sepa_debit: ["eur"],
  bacs_debit: ["gbp"],
  au_becs_debit: ["aud"],
  acss_debit: ["cad", "usd"],
};

/** Why a method cannot be offered on a session, or null when it can. */
function ineligibility(type: string, mode: CheckoutSession["mode"], currency: string | null): string | null {
  if (mode !== "payment" && SINGLE_USE_METHODS.has(type)) {
    return `The payment method type \`${type}\` cannot be used in \`${mode}\` mode; it does not support saving for future use.`;
  }
  const currencies = METHOD_CURRENCIES[type];
  if (currency !== null && currencies && !currencies.includes(currency)) {
    return `The currency provided (${currency}) is invalid for one or more payment method types on this Checkout Session. Payment method type ${type} supports the following currencies: ${currencies.join(", ")}.`;
  }
  return null;
}

const METHOD_NAMES: Record<string, string> = {
  card: "Card",
  paypal: "PayPal",
  wechat_pay: "WeChat Pay",
  alipay: "Alipay",
  naver_pay: "Naver Pay",
  kakao_pay: "Kakao Pay",
  payco: "PAYCO",
  samsung_pay: "Samsung Pay",
  link: "Link",
  us_bank_account: "US bank account",
  sepa_debit: "SEPA Direct Debit",
  bacs_debit: "Bacs Direct Debit",
  klarna: "Klarna",
  ideal: "iDEAL",
  bancontact: "Bancontact",
  konbini: "Konbini",
  oxxo: "OXXO",
  boleto: "Boleto",
  amazon_pay: "Amazon Pay",
  cashapp: "Cash App Pay",
  revolut_pay: "Revolut Pay",
};

export function methodName(type: string): string {
  return (
    METHOD_NAMES[type] ??
    type
      .split("_")
      .map((w) => (w ? (w[0] ?? "").toUpperCase() + w.slice(1) : w))
      .join(" ")
  );
}

const EMBEDDED_UI = new Set(["embedded", "embedded_page", "elements", "custom", "form"]);
const HOSTED_UI = new Set(["hosted", "hosted_page"]);

export function isEmbedded(session: CheckoutSession): boolean {
  return session.ui_mode !== null && EMBEDDED_UI.has(session.ui_mode);
}

/** Where the customer goes once the session completes, with {CHECKOUT_SESSION_ID} filled in. */
export function completionUrl(session: CheckoutSession): string | null {
  const target = isEmbedded(session) ? (session.return_url ?? null) : session.success_url;
  return target ? target.split("{CHECKOUT_SESSION_ID}").join(session.id) : null;
}

function readLineItems(store: Store, p: Params, mode: CheckoutSession["mode"]): CheckoutItem[] {
  const raw = objArr(p, "line_items") ?? [];
  if (mode === "setup") {
    if (raw.length > 0) throw invalid("You cannot pass `line_items` in `setup` mode.", "line_items");
    return [];
  }
  if (raw.length === 0) throw invalid("Missing required param: line_items.", "line_items", "parameter_missing");
  const items = raw.map((li, i): CheckoutItem => {
    const path = `line_items[${i}]`;
    const priceId = str(li, "price", { path });
    const priceData = obj(li, "price_data", { path });
    if (priceId && priceData) throw invalid(`You may only specify one of these parameters: price, price_data.`, `${path}[price]`);
    let price: Price;
    if (priceId) {
      price = store.findParam<Price>("price", priceId, `${path}[price]`);
      if (!price.active) throw invalid("The price specified is inactive. This field only accepts active prices.", `${path}[price]`);
    } else if (priceData) {
      price = createInlinePrice(store, priceData, `${path}[price_data]`, mode === "subscription");
    } else {
      throw invalid(`You must specify either \`price\` or \`price_data\` in ${path}.`, `${path}[price]`, "parameter_missing");
    }
    const quantity = int(li, "quantity", { min: 1, max: 999999, path });
    if (quantity === undefined) throw invalid(`Quantity is required. Add \`quantity\` to \`${path}\``, `${path}[quantity]`, "parameter_missing");
    if (mode === "payment" && price.recurring) {
      throw invalid(
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        `${path}[price]`,
      );
    }
    const product = store.get(price.product) as Product | undefined;
    const amount = price.unit_amount * quantity;
    return {
      id: store.newId("li_"),
      object: "item",
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: price.currency,
      description: product?.name ?? "",
      metadata: metadata(li, {}, "metadata", path),
      price: clone(price),
      quantity,
    };
  });
  const currency = items[0]?.currency;
  items.forEach((item, i) => {
    if (item.currency !== currency) throw invalid("All line items must use the same currency.", `line_items[${i}]`);
  });
  if (mode === "subscription" && !items.some((i) => i.price.recurring)) {
    throw invalid("You must provide at least one recurring price in `subscription` mode when using prices.", "line_items");
  }
  return items;
}

/**
 * `allowed_payment_method_types` (current API) filters the methods Stripe would offer, dropping ineligible ones;
 * `payment_method_types` (older API versions) is an explicit list, so an ineligible entry is an error.
 */
function readPaymentMethodTypes(p: Params, mode: CheckoutSession["mode"], currency: string | null): { types: string[]; allowed: string[] | null } {
  const explicit = strArr(p, "payment_method_types");
  const allowed = strArr(p, "allowed_payment_method_types");
  if (explicit && allowed)
    throw invalid("You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.", "allowed_payment_method_types");
  const key = explicit ? "payment_method_types" : "allowed_payment_method_types";
  const list = explicit ?? allowed ?? ["card"];
  if (list.length === 0) throw invalid(`${key} must not be empty.`, key);
  list.forEach((t, i) => {
    if (!/^[a-z][a-z0-9_]*$/.test(t)) throw invalid(`Invalid ${key}[${i}]: ${t}`, `${key}[${i}]`);
  });
  if (new Set(list).size !== list.length) throw invalid(`${key} contains duplicates.`, key);
  if (explicit) {
    explicit.forEach((t, i) => {
      const why = ineligibility(t, mode, currency);
      if (why) throw invalid(why, `payment_method_types[${i}]`);
    });
    if (explicit.includes("wechat_pay")) {
      const pmo = obj(p, "payment_method_options");
      const wechat = pmo ? obj(pmo, "wechat_pay", { path: "payment_method_options" }) : undefined;
      if (!wechat || !str(wechat, "client", { path: "payment_method_options[wechat_pay]" })) {
        throw invalid(
          "You must specify `payment_method_options[wechat_pay][client]` when `wechat_pay` is in `payment_method_types`.",
          "payment_method_options[wechat_pay][client]",
          "parameter_missing",
        );
      }
    }
    return { types: explicit, allowed: null };
  }
  const types = list.filter((t) => ineligibility(t, mode, currency) === null);
  if (types.length === 0) {
    throw invalid(
      `None of the payment method types in allowed_payment_method_types (${list.join(", ")}) can be used on this Checkout Session (mode ${mode}${currency ? `, currency ${currency}` : ""}). ${ineligibility(list[0] ?? "", mode, currency) ?? ""}`.trim(),
      "allowed_payment_method_types",
    );
  }
  return { types, allowed: allowed ?? null };
}

export function createSession(store: Store, p: Params): CheckoutSession {
  const mode = oneOf(p, "mode", ["payment", "subscription", "setup"] as const, { required: true }) ?? "payment";
  const uiMode = str(p, "ui_mode") ?? "hosted_page";
  if (!EMBEDDED_UI.has(uiMode) && !HOSTED_UI.has(uiMode)) throw invalid(`Invalid ui_mode: must be one of hosted_page, embedded_page, elements`, "ui_mode");
  const embedded = EMBEDDED_UI.has(uiMode);
  const redirectOnCompletion = oneOf(p, "redirect_on_completion", ["always", "if_required", "never"] as const);
  const successUrl = url(p, "success_url");
  const cancelUrl = url(p, "cancel_url");
  const returnUrl = url(p, "return_url");
  if (embedded) {
    if (successUrl) throw invalid(`success_url is not allowed when ui_mode is \`${uiMode}\`; use return_url instead.`, "success_url");
    if (cancelUrl) throw invalid(`cancel_url is not allowed when ui_mode is \`${uiMode}\`.`, "cancel_url");
    if (!returnUrl && redirectOnCompletion !== "never") {
      throw invalid(`return_url is required when ui_mode is \`${uiMode}\` unless redirect_on_completion is \`never\`.`, "return_url", "parameter_missing");
    }
  } else {
    if (!successUrl) throw invalid("Missing required param: success_url.", "success_url", "parameter_missing");
    if (returnUrl) throw invalid("return_url is only allowed when ui_mode is `embedded_page` or `elements`.", "return_url");
    if (redirectOnCompletion) throw invalid("redirect_on_completion is only allowed when ui_mode is `embedded_page`.", "redirect_on_completion");
  }

  const customerId = str(p, "customer");
  const customerEmail = str(p, "customer_email", { max: 800 });
  if (customerId && customerEmail) throw invalid("You may only specify one of these parameters: customer, customer_email.", "customer_email");
  const customer = customerId ? store.findParam<Customer>("customer", customerId, "customer") : null;
  const customerCreation = oneOf(p, "customer_creation", ["always", "if_required"] as const);
  if (customerCreation && mode === "subscription") throw invalid("`customer_creation` can only be used in `payment` and `setup` mode.", "customer_creation");

  const items = readLineItems(store, p, mode);
  const currency = items[0]?.currency ?? str(p, "currency")?.toLowerCase() ?? null;
  const { types, allowed } = readPaymentMethodTypes(p, mode, currency);
  const total = items.reduce((s, i) => s + i.amount_total, 0);
  if (mode === "payment" && currency) {
    const min = minimumCharge(currency);
    if (min !== undefined && total < min) {
      throw invalid(
        `The Checkout Session's total amount due must add up to at least ${formatMoney(min, currency)} ${currency}`,
        "line_items",
        "amount_too_small",
      );
    }
  }

  const now = store.now();
  const expiresAt = int(p, "expires_at") ?? now + 86400;
  // Apps compute expires_at from their own clock; after /_emulator/clock/advance that is behind the emulator's,
  // so accept either clock and remember the skew so the session still lives as long as asked.
  const wallNow = Math.floor(Date.now() / 1000);
  const inRange = (base: number): boolean => expiresAt >= base + 1800 && expiresAt <= base + 86400;
  if (!inRange(now) && !inRange(wallNow)) {
    throw invalid("The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.", "expires_at");
  }
  const expirySkew = inRange(now) ? 0 : now - wallNow;

  const pid = obj(p, "payment_intent_data");
  if (pid && mode !== "payment") throw invalid("You can only specify `payment_intent_data` in `payment` mode.", "payment_intent_data");
  const sd = obj(p, "subscription_data");
  if (sd && mode !== "subscription") throw invalid("You can only specify `subscription_data` in `subscription` mode.", "subscription_data");
  const ic = obj(p, "invoice_creation");
  if (ic && mode !== "payment") throw invalid("You can only specify `invoice_creation` in `payment` mode.", "invoice_creation");
  const icData = ic ? (obj(ic, "invoice_data", { path: "invoice_creation" }) ?? {}) : {};
  if (pid) {
    oneOf(pid, "setup_future_usage", ["on_session", "off_session"] as const, { path: "payment_intent_data" });
    metadata(pid, {}, "metadata", "payment_intent_data");
  }
  if (sd) {
    int(sd, "trial_period_days", { min: 1, max: 730, path: "subscription_data" });
    metadata(sd, {}, "metadata", "subscription_data");
  }
  const pmo = obj(p, "payment_method_options") ?? {};

  const id = `cs_test_${randomId(58)}`;
  const session: CheckoutSession = {
    id,
    object: "checkout.session",
    created: now,
    livemode: false,
    adaptive_pricing: { enabled: false },
    after_expiration: null,
    allow_promotion_codes: bool(p, "allow_promotion_codes") ?? null,
    allowed_payment_method_types: allowed,
    amount_subtotal: mode === "setup" ? null : total,
    amount_total: mode === "setup" ? null : total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: str(p, "billing_address_collection") ?? null,
    cancel_url: cancelUrl ?? null,
    client_reference_id: str(p, "client_reference_id", { max: 200 }) ?? null,
    client_secret: embedded ? `${id}_secret_${randomId(40)}` : null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customer?.id ?? null,
    customer_account: null,
    customer_creation: mode === "subscription" ? null : (customerCreation ?? (customer ? null : "if_required")),
    customer_details: customer
      ? {
          address: null,
          business_name: null,
          email: customer.email,
          individual_name: null,
          name: customer.name,
          phone: null,
          tax_exempt: "none",
          tax_ids: null,
        }
      : null,
    customer_email: customerEmail ?? null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation:
      mode === "payment"
        ? {
            enabled: ic ? (bool(ic, "enabled", { path: "invoice_creation" }) ?? false) : false,
            invoice_data: {
              account_tax_ids: null,
              custom_fields: null,
              description: str(icData, "description", { path: "invoice_creation[invoice_data]" }) ?? null,
              footer: str(icData, "footer", { path: "invoice_creation[invoice_data]" }) ?? null,
              issuer: null,
              metadata: metadata(icData, {}, "metadata", "invoice_creation[invoice_data]"),
              rendering_options: null,
            },
          }
        : null,
    locale: str(p, "locale") ?? null,
    managed_payments: null,
    metadata: metadata(p),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === "subscription" ? "always" : null,
    payment_method_configuration_details: null,
    payment_method_options: clone(pmo),
    payment_method_types: types,
    payment_status: mode === "setup" ? "no_payment_required" : "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: str(p, "submit_type") ?? null,
    subscription: null,
    success_url: successUrl ?? null,
    total_details: mode === "setup" ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: uiMode,
    url: embedded ? null : store.url(`/c/pay/${id}`),
    wallet_options: null,
  };
  if (embedded) {
    session.return_url = returnUrl;
    session.redirect_on_completion = redirectOnCompletion ?? "always";
  }
  store.add(session);
  store.sessionItems.set(id, items);
  if (session.client_secret) store.sessionBySecret.set(session.client_secret, id);
  store.sessionExtra.set(id, { paymentIntentData: pid ? clone(pid) : null, subscriptionData: sd ? clone(sd) : null, expirySkew });
  return session;
}

export type AttemptOutcome = "paid" | "pending" | "declined";

export interface AttemptInput {
  methodType: string;
  /** Card number typed on the page; absent for the control API, which picks a test card from the outcome. */
  cardNumber?: string;
  outcome?: AttemptOutcome;
  email?: string | null;
  name?: string | null;
}

export type AttemptResult = { kind: "complete" } | { kind: "pending" } | { kind: "declined"; code: string; message: string } | { kind: "requires_action" };

function resolveCard(input: AttemptInput): { card: TestCard } | { error: AttemptResult } {
  if (input.cardNumber !== undefined) {
    const found = lookupCard(input.cardNumber);
    if (!found.ok) return { error: { kind: "declined", code: found.code, message: found.message } };
    return { card: found.card };
  }
  const number = input.outcome === "declined" ? "4000000000000002" : "4242424242424242";
  const found = lookupCard(number);
  if (!found.ok) throw new Error("test card table is broken");
  return { card: found.card };
}

function forcedFor(input: AttemptInput): ForcedOutcome | undefined {
  if (input.outcome === "paid") return "succeed";
  if (input.outcome === "declined") return "decline";
  if (input.outcome === "pending") return "pending";
  return undefined;
}

function customerDetails(email: string | null, name: string | null): Record<string, unknown> {
  return {
    address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
    business_name: null,
    email,
    individual_name: null,
    name,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
}

function ensureCustomer(store: Store, session: CheckoutSession, email: string | null, name: string | null): Customer {
  if (session.customer) return store.find<Customer>("customer", session.customer);
  const customer = createCustomer(store, { email, name });
  session.customer = customer.id;
  return customer;
}

function completeSession(
  store: Store,
  session: CheckoutSession,
  paymentStatus: CheckoutSession["payment_status"],
  email: string | null,
  name: string | null,
): void {
  session.status = "complete";
  session.payment_status = paymentStatus;
  session.customer_details = customerDetails(email, name);
  if (session.mode === "payment" && paymentStatus === "paid") maybeCreateInvoice(store, session);
  store.emit("checkout.session.completed", session);
}

function maybeCreateInvoice(store: Store, session: CheckoutSession): void {
  if (!session.invoice_creation?.enabled || session.invoice || !session.payment_intent) return;
  const pi = store.find<PaymentIntent>("payment_intent", session.payment_intent);
  session.invoice = createCheckoutInvoice(store, session, pi).id;
}

function contactFor(
  store: Store,
  session: CheckoutSession,
  input: { email?: string | null; name?: string | null },
): { email: string | null; name: string | null } {
  const customer = session.customer ? (store.get(session.customer) as Customer | undefined) : undefined;
  return { email: input.email || session.customer_email || customer?.email || null, name: input.name || customer?.name || null };
}

/** One payment attempt on an open session, as made by the hosted page or the control API. */
export function attemptCheckout(store: Store, session: CheckoutSession, input: AttemptInput): AttemptResult {
  if (session.status !== "open") throw invalid(`This Checkout Session is ${session.status}.`, undefined, "checkout_session_not_open");
  if (!session.payment_method_types.includes(input.methodType)) {
    throw invalid(
      `Payment method type ${input.methodType} is not enabled on this Checkout Session (${session.payment_method_types.join(", ")}).`,
      "payment_method_type",
    );
  }
  if (input.outcome === "pending" && session.mode !== "payment") throw invalid("Only payment-mode sessions can be left pending.", "outcome");
  const { email, name } = contactFor(store, session, input);
  let card: TestCard | undefined;
  if (input.methodType === "card") {
    const resolved = resolveCard(input);
    if ("error" in resolved) return resolved.error;
    card = resolved.card;
  }
  const forced = forcedFor(input);

  if (session.mode === "payment") {
    const extra = store.sessionExtra.get(session.id)?.paymentIntentData ?? null;
    let pi = session.payment_intent ? store.find<PaymentIntent>("payment_intent", session.payment_intent) : undefined;
    // customer_creation=always: the Customer exists before the charge, so setup_future_usage can save the card to it.
    if (session.customer_creation === "always" && !session.customer) {
      const customer = ensureCustomer(store, session, email, name);
      if (pi) pi.customer = customer.id;
    }
    if (!pi) {
      pi = createPaymentIntent(store, {
        amount: session.amount_total ?? 0,
        currency: session.currency ?? "usd",
        customer: session.customer,
        paymentMethodTypes: [...session.payment_method_types],
        metadata: extra ? metadata(extra) : {},
        description: extra ? (str(extra, "description") ?? null) : null,
        setupFutureUsage: extra ? (str(extra, "setup_future_usage") ?? null) : null,
        receiptEmail: extra ? (str(extra, "receipt_email") ?? null) : null,
        statementDescriptor: extra ? (str(extra, "statement_descriptor") ?? null) : null,
      });
      session.payment_intent = pi.id;
      store.sessionByPaymentIntent.set(pi.id, session.id);
    }
    const pm = card ? createCardPaymentMethod(store, card, { email, name }) : createPaymentMethodOfType(store, input.methodType, { email, name });
    const result = confirmPaymentIntent(store, pi, { paymentMethod: pm, offSession: false, returnUrl: completionUrl(session), forced });
    if (result.status === "succeeded") {
      completeSession(store, session, "paid", email, name);
      return { kind: "complete" };
    }
    if (result.status === "processing") {
      completeSession(store, session, "unpaid", email, name);
      return { kind: "pending" };
    }
    if (result.status === "requires_action") {
      store.sessionPendingAuth.set(session.id, { methodType: input.methodType, cardNumber: card?.number ?? "", email, name });
      return { kind: "requires_action" };
    }
    const err = pi.last_payment_error ?? {};
    return { kind: "declined", code: String(err.decline_code ?? err.code ?? "card_declined"), message: String(err.message ?? GENERIC_DECLINE.message) };
  }

  // Subscription and setup modes: nothing is created until the card would go through.
  const behaviour = forced === "succeed" ? "succeed" : forced === "decline" ? "decline" : (card?.behaviour ?? "succeed");
  if (behaviour === "decline" && !(session.mode === "setup" && card?.declineOnlyOnCharge)) {
    const decline = card?.decline ?? GENERIC_DECLINE;
    return { kind: "declined", code: decline.decline_code, message: decline.message };
  }
  if (behaviour === "authenticate_always" || behaviour === "authenticate_on_session") {
    store.sessionPendingAuth.set(session.id, { methodType: input.methodType, cardNumber: card?.number ?? "", email, name });
    return { kind: "requires_action" };
  }
  finishNonPaymentSession(store, session, input.methodType, card, email, name);
  return { kind: "complete" };
}

function finishNonPaymentSession(
  store: Store,
  session: CheckoutSession,
  methodType: string,
  card: TestCard | undefined,
  email: string | null,
  name: string | null,
): void {
  const customer =
    session.mode === "subscription" || session.customer || session.customer_creation === "always" ? ensureCustomer(store, session, email, name) : null;
  const pm = card ? createCardPaymentMethod(store, card, { email, name }) : createPaymentMethodOfType(store, methodType, { email, name });
  if (customer) attachPaymentMethod(store, pm, customer);
  if (session.mode === "setup") {
    const id = store.newId("seti_");
    const seti: SetupIntent = {
      id,
      object: "setup_intent",
      created: store.now(),
      livemode: false,
      allowed_payment_method_types: null,
      application: null,
      automatic_payment_methods: null,
      cancellation_reason: null,
      client_secret: `${id}_secret_${randomId(32)}`,
      customer: customer?.id ?? null,
      description: null,
      excluded_payment_method_types: null,
      flow_directions: null,
      last_setup_error: null,
      latest_attempt: null,
      mandate: null,
      metadata: {},
      next_action: null,
      on_behalf_of: null,
      payment_method: pm.id,
      payment_method_configuration_details: null,
      payment_method_options: {},
      payment_method_types: [...session.payment_method_types],
      single_use_mandate: null,
      status: "succeeded",
      usage: "off_session",
    };
    store.add(seti);
    store.emit("setup_intent.created", seti);
    store.emit("setup_intent.succeeded", seti);
    session.setup_intent = seti.id;
    completeSession(store, session, "no_payment_required", email, name);
    return;
  }
  if (!customer) throw new Error("subscription checkout without customer");
  const extra = store.sessionExtra.get(session.id)?.subscriptionData ?? null;
  const items = (store.sessionItems.get(session.id) ?? []).map((i) => ({ price: store.find<Price>("price", i.price.id), quantity: i.quantity }));
  const { subscription } = createSubscription(store, {
    customer,
    items,
    defaultPaymentMethod: pm,
    metadata: extra ? metadata(extra) : {},
    description: extra ? (str(extra, "description") ?? null) : null,
    trialDays: extra ? int(extra, "trial_period_days") : undefined,
    paymentBehavior: "allow_incomplete",
    forcedFirstPayment: "succeed",
  });
  session.subscription = subscription.id;
  session.invoice = subscription.latest_invoice;
  const invoiceTotal = (session.amount_total ?? 0) > 0 && subscription.status !== "trialing";
  completeSession(store, session, invoiceTotal ? "paid" : "no_payment_required", email, name);
}

/** Completes or fails the 3-D Secure step a checkout attempt is waiting on. */
export function finishCheckoutAuthentication(store: Store, session: CheckoutSession, success: boolean): AttemptResult {
  const pending = store.sessionPendingAuth.get(session.id);
  if (session.status !== "open" || !pending) throw invalid("This Checkout Session is not waiting for authentication.", undefined, "checkout_session_not_open");
  store.sessionPendingAuth.delete(session.id);
  const failure: AttemptResult = {
    kind: "declined",
    code: "payment_intent_authentication_failure",
    message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
  };
  if (session.mode === "payment") {
    const pi = store.find<PaymentIntent>("payment_intent", session.payment_intent ?? "");
    finishAuthentication(store, pi, success);
    if (!success) return failure;
    completeSession(store, session, "paid", pending.email, pending.name);
    return { kind: "complete" };
  }
  if (!success) return failure;
  const found = lookupCard(pending.cardNumber);
  finishNonPaymentSession(store, session, pending.methodType, found.ok ? found.card : undefined, pending.email, pending.name);
  return { kind: "complete" };
}

/** Settles a pending (delayed-notification) checkout payment and emits the async_payment event. */
export function settleCheckoutPayment(store: Store, pi: PaymentIntent, outcome: "succeeded" | "failed"): void {
  settlePaymentIntent(store, pi, outcome);
  const sessionId = store.sessionByPaymentIntent.get(pi.id);
  const session = sessionId ? (store.get(sessionId) as CheckoutSession | undefined) : undefined;
  if (!session || session.status !== "complete" || session.payment_status !== "unpaid") return;
  if (outcome === "succeeded") {
    session.payment_status = "paid";
    maybeCreateInvoice(store, session);
    store.emit("checkout.session.async_payment_succeeded", session);
  } else {
    store.emit("checkout.session.async_payment_failed", session);
  }
}

export function expireSession(store: Store, session: CheckoutSession): void {
  if (session.status !== "open") {
    throw invalid(
      `Only Checkout Sessions with a status in ["open"] can be expired. This session has status "${session.status}".`,
      undefined,
      "checkout_session_not_open",
    );
  }
  session.status = "expired";
  session.url = null;
  store.sessionPendingAuth.delete(session.id);
  if (session.payment_intent) {
    const pi = store.get(session.payment_intent) as PaymentIntent | undefined;
    if (pi && pi.status !== "succeeded" && pi.status !== "canceled" && pi.status !== "processing") cancelPaymentIntent(store, pi, "abandoned");
  }
  store.emit("checkout.session.expired", session);
}

export function tickCheckout(store: Store): void {
  const now = store.now();
  for (const session of store.all<CheckoutSession>("checkout.session").reverse()) {
    const skew = store.sessionExtra.get(session.id)?.expirySkew ?? 0;
    if (session.status === "open" && session.expires_at + skew <= now) expireSession(store, session);
  }
}

export function sessionBySecret(store: Store, secret: string): CheckoutSession | undefined {
  const id = store.sessionBySecret.get(secret);
  return id ? (store.get(id) as CheckoutSession | undefined) : undefined;
}

export function registerCheckout(r: ApiRouter): void {
  r.post("/v1/checkout/sessions", ({ store, params, expand }) => render(store, createSession(store, params), expand));

  r.get("/v1/checkout/sessions", ({ store, params, expand }) => {
    const pi = str(params, "payment_intent");
    const sub = str(params, "subscription");
    const customer = str(params, "customer");
    const status = str(params, "status");
    const items = store
      .all<CheckoutSession>("checkout.session")
      .filter(
        (s) =>
          (pi === undefined || s.payment_intent === pi) &&
          (sub === undefined || s.subscription === sub) &&
          (customer === undefined || s.customer === customer) &&
          (status === undefined || s.status === status) &&
          matchesCreated(s.created, params),
      );
    return renderList(store, items, params, "/v1/checkout/sessions", expand);
  });

  r.get("/v1/checkout/sessions/:id", (ctx) => render(ctx.store, ctx.store.find<CheckoutSession>("checkout.session", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/checkout/sessions/:id", (ctx) => {
    const session = ctx.store.find<CheckoutSession>("checkout.session", pathParam(ctx, "id"));
    session.metadata = metadata(ctx.params, session.metadata);
    return render(ctx.store, session, ctx.expand);
  });

  r.post("/v1/checkout/sessions/:id/expire", (ctx) => {
    const session = ctx.store.find<CheckoutSession>("checkout.session", pathParam(ctx, "id"));
    expireSession(ctx.store, session);
    return render(ctx.store, session, ctx.expand);
  });

  r.get("/v1/checkout/sessions/:id/line_items", (ctx) => {
    const session = ctx.store.find<CheckoutSession>("checkout.session", pathParam(ctx, "id"));
    return renderList(ctx.store, [...(ctx.store.sessionItems.get(session.id) ?? [])], ctx.params, `/v1/checkout/sessions/${session.id}/line_items`, ctx.expand);
  });
}
