// PaymentIntents and Charges: confirmation with test-card outcomes, 3-D Secure, delayed settlement, cancel.
import { pathParam, type ApiRouter } from "../api.js";
import { AUTHENTICATION_REQUIRED, GENERIC_DECLINE, type Decline } from "../cards.js";
import { invalid, StripeApiError } from "../errors.js";
import { matchesCreated, render, renderList } from "../expand.js";
import { minimumCharge, formatMoney, isCurrency } from "../money.js";
import { bool, int, metadata, obj, oneOf, str, strArr, type Metadata, type Params } from "../params.js";
import { clone, randomId, type Store } from "../store.js";
import type { Charge, Customer, PaymentIntent, PaymentMethod } from "../types.js";
import { attachPaymentMethod, cardOf, resolvePaymentMethod, SINGLE_USE_METHODS } from "./payment-methods.js";

export interface PaymentIntentInput {
  amount: number;
  currency: string;
  customer: string | null;
  paymentMethodTypes: string[];
  allowedPaymentMethodTypes?: string[] | null;
  metadata?: Metadata;
  description?: string | null;
  setupFutureUsage?: string | null;
  receiptEmail?: string | null;
  paymentMethod?: string | null;
  statementDescriptor?: string | null;
}

export function createPaymentIntent(store: Store, input: PaymentIntentInput): PaymentIntent {
  const id = store.newId("pi_");
  const pi: PaymentIntent = {
    id,
    object: "payment_intent",
    created: store.now(),
    livemode: false,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    allowed_payment_method_types: input.allowedPaymentMethodTypes ?? null,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${randomId(25)}`,
    confirmation_method: "automatic",
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description ?? null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    managed_payments: null,
    metadata: input.metadata ?? {},
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod ?? null,
    payment_method_configuration_details: null,
    payment_method_options: Object.fromEntries(
      input.paymentMethodTypes.map((t) => [
        t,
        t === "card" ? { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" } : {},
      ]),
    ),
    payment_method_types: input.paymentMethodTypes,
    processing: null,
    receipt_email: input.receiptEmail ?? null,
    review: null,
    setup_future_usage: input.setupFutureUsage ?? null,
    shipping: null,
    source: null,
    statement_descriptor: input.statementDescriptor ?? null,
    statement_descriptor_suffix: null,
    status: input.paymentMethod ? "requires_confirmation" : "requires_payment_method",
    transfer_data: null,
    transfer_group: null,
  };
  store.add(pi);
  store.emit("payment_intent.created", pi);
  return pi;
}

function paymentMethodDetails(store: Store, pm: PaymentMethod, amount: number, authenticated: boolean): Charge["payment_method_details"] {
  if (pm.type !== "card" || !pm.card) {
    return { type: pm.type, [pm.type]: clone((pm as Record<string, unknown>)[pm.type] ?? {}) };
  }
  const c = pm.card;
  return {
    type: "card",
    card: {
      amount_authorized: amount,
      authorization_code: null,
      brand: c.brand,
      checks: c.checks,
      country: c.country,
      exp_month: c.exp_month,
      exp_year: c.exp_year,
      extended_authorization: { status: "disabled" },
      fingerprint: c.fingerprint,
      funding: c.funding,
      incremental_authorization: { status: "unavailable" },
      installments: null,
      last4: c.last4,
      mandate: null,
      multicapture: { status: "unavailable" },
      network: c.brand,
      network_token: { used: false },
      network_transaction_id: randomId(15),
      overcapture: { maximum_amount_capturable: amount, status: "unavailable" },
      regulated_status: "unregulated",
      three_d_secure: authenticated
        ? {
            authentication_flow: "challenge",
            electronic_commerce_indicator: "05",
            exemption_indicator: null,
            result: "authenticated",
            result_reason: null,
            transaction_id: randomId(32),
            version: "2.2.0",
          }
        : null,
      wallet: null,
    },
  };
}

function createCharge(
  store: Store,
  pi: PaymentIntent,
  pm: PaymentMethod,
  status: Charge["status"],
  opts: { decline?: Decline; authenticated?: boolean } = {},
): Charge {
  const succeeded = status === "succeeded";
  const id = store.newId("ch_");
  const charge: Charge = {
    id,
    object: "charge",
    created: store.now(),
    livemode: false,
    amount: pi.amount,
    amount_captured: succeeded ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? store.newId("txn_") : null,
    billing_details: clone(pm.billing_details),
    calculated_statement_descriptor: "CREDITDESK",
    captured: succeeded,
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: opts.decline?.code ?? null,
    failure_message: opts.decline?.message ?? null,
    fraud_details: {},
    metadata: clone(pi.metadata),
    on_behalf_of: null,
    outcome: opts.decline
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "declined_by_network",
          reason: opts.decline.decline_code,
          risk_level: "normal",
          risk_score: 20,
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          risk_score: 20,
          seller_message: status === "pending" ? "Payment pending." : "Payment complete.",
          type: "authorized",
        },
    paid: succeeded,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: paymentMethodDetails(store, pm, pi.amount, opts.authenticated ?? false),
    radar_options: {},
    receipt_email: pi.receipt_email ?? null,
    receipt_number: null,
    receipt_url: store.url(`/receipts/${id}`),
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
  };
  store.add(charge);
  return charge;
}

function succeed(store: Store, pi: PaymentIntent, pm: PaymentMethod, authenticated: boolean): void {
  const charge = createCharge(store, pi, pm, "succeeded", { authenticated });
  pi.status = "succeeded";
  pi.amount_received = pi.amount;
  pi.latest_charge = charge.id;
  pi.payment_method = pm.id;
  pi.next_action = null;
  pi.last_payment_error = null;
  if (pi.setup_future_usage && pi.customer && pm.customer === null && !SINGLE_USE_METHODS.has(pm.type)) {
    attachPaymentMethod(store, pm, store.find<Customer>("customer", pi.customer));
  }
  store.emit("charge.succeeded", charge);
  store.emit("payment_intent.succeeded", pi);
}

function fail(store: Store, pi: PaymentIntent, pm: PaymentMethod, decline: Decline): StripeApiError {
  const charge = createCharge(store, pi, pm, "failed", { decline });
  pi.status = "requires_payment_method";
  pi.latest_charge = charge.id;
  pi.payment_method = null;
  pi.next_action = null;
  const lastError = {
    type: "card_error",
    charge: charge.id,
    code: decline.code,
    decline_code: decline.decline_code,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    message: decline.message,
    payment_method: clone(pm),
  };
  pi.last_payment_error = lastError;
  store.emit("charge.failed", charge);
  store.emit("payment_intent.payment_failed", pi);
  return new StripeApiError(402, { ...lastError, type: "card_error", payment_intent: clone(pi) });
}

export type ForcedOutcome = "succeed" | "decline" | "pending" | "requires_action";

export interface ConfirmOptions {
  paymentMethod: PaymentMethod;
  offSession: boolean;
  returnUrl?: string | null;
  errorOnRequiresAction?: boolean;
  /** Outcome chosen by the checkout page or control API, overriding the card's own behaviour. */
  forced?: ForcedOutcome;
}

export interface ConfirmResult {
  status: PaymentIntent["status"];
  /** Error the API should raise after the state change is kept (Stripe saves the failed attempt). */
  error?: StripeApiError;
}

/** Runs one payment attempt on a PaymentIntent. */
export function confirmPaymentIntent(store: Store, pi: PaymentIntent, opts: ConfirmOptions): ConfirmResult {
  const pm = opts.paymentMethod;
  if (opts.offSession && SINGLE_USE_METHODS.has(pm.type)) {
    throw invalid(`PaymentMethods of type ${pm.type} cannot be used for off-session payments.`, "off_session", "payment_method_unexpected_state");
  }
  pi.payment_method = pm.id;
  pi.last_payment_error = null;
  if (!pi.payment_method_types.includes(pm.type)) pi.payment_method_types = [...pi.payment_method_types, pm.type];
  const card = pm.type === "card" ? cardOf(store, pm) : undefined;

  let outcome: ForcedOutcome;
  let decline: Decline | undefined;
  if (opts.forced) {
    outcome = opts.forced;
    decline = opts.forced === "decline" ? (card?.decline ?? GENERIC_DECLINE) : undefined;
  } else if (!card || card.behaviour === "succeed") {
    outcome = "succeed";
  } else if (card.behaviour === "decline") {
    outcome = "decline";
    decline = card.decline ?? GENERIC_DECLINE;
  } else if (card.behaviour === "authenticate_on_session" && opts.offSession) {
    outcome = "succeed";
  } else {
    outcome = "requires_action";
  }

  switch (outcome) {
    case "succeed":
      succeed(store, pi, pm, false);
      return { status: pi.status };
    case "decline":
      return { status: pi.status, error: fail(store, pi, pm, decline ?? GENERIC_DECLINE) };
    case "pending": {
      const charge = createCharge(store, pi, pm, "pending");
      pi.status = "processing";
      pi.latest_charge = charge.id;
      pi.processing = pm.type === "card" ? { type: "card", card: {} } : null;
      store.emit("charge.pending", charge);
      store.emit("payment_intent.processing", pi);
      return { status: pi.status };
    }
    case "requires_action": {
      pi.status = "requires_action";
      pi.next_action = {
        type: "redirect_to_url",
        redirect_to_url: { url: store.url(`/authenticate/${pi.id}`), return_url: opts.returnUrl ?? null },
      };
      store.emit("payment_intent.requires_action", pi);
      if (opts.offSession || opts.errorOnRequiresAction) {
        const lastError = {
          type: "card_error",
          code: AUTHENTICATION_REQUIRED.code,
          decline_code: AUTHENTICATION_REQUIRED.decline_code,
          doc_url: "https://stripe.com/docs/error-codes/authentication-required",
          message: AUTHENTICATION_REQUIRED.message,
          payment_method: clone(pm),
        };
        pi.last_payment_error = lastError;
        return { status: pi.status, error: new StripeApiError(402, { ...lastError, type: "card_error", payment_intent: clone(pi) }) };
      }
      return { status: pi.status };
    }
  }
}

/** Result of the 3-D Secure page (or control API) for a PaymentIntent in requires_action. */
export function finishAuthentication(store: Store, pi: PaymentIntent, success: boolean): void {
  if (pi.status !== "requires_action" || !pi.payment_method) {
    throw invalid(
      `This PaymentIntent's status is ${pi.status}; only PaymentIntents that require action can be authenticated.`,
      undefined,
      "payment_intent_unexpected_state",
    );
  }
  const pm = store.find<PaymentMethod>("payment_method", pi.payment_method);
  if (success) {
    succeed(store, pi, pm, true);
    return;
  }
  pi.status = "requires_payment_method";
  pi.payment_method = null;
  pi.next_action = null;
  pi.last_payment_error = {
    type: "invalid_request_error",
    code: "payment_intent_authentication_failure",
    doc_url: "https://stripe.com/docs/error-codes/payment-intent-authentication-failure",
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.",
    payment_method: clone(pm),
  };
  store.emit("payment_intent.payment_failed", pi);
}

/** Settles a processing (delayed-notification) payment. */
export function settlePaymentIntent(store: Store, pi: PaymentIntent, outcome: "succeeded" | "failed"): void {
  if (pi.status !== "processing" || !pi.latest_charge) {
    throw invalid(`PaymentIntent ${pi.id} is ${pi.status}; only processing PaymentIntents can be settled.`, undefined, "payment_intent_unexpected_state");
  }
  const charge = store.find<Charge>("charge", pi.latest_charge);
  const pm = pi.payment_method ? store.find<PaymentMethod>("payment_method", pi.payment_method) : null;
  if (outcome === "succeeded") {
    charge.status = "succeeded";
    charge.paid = true;
    charge.captured = true;
    charge.amount_captured = charge.amount;
    charge.balance_transaction = store.newId("txn_");
    charge.outcome = { ...(charge.outcome as Record<string, unknown>), seller_message: "Payment complete." };
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    pi.processing = null;
    if (pm && pi.setup_future_usage && pi.customer && pm.customer === null && !SINGLE_USE_METHODS.has(pm.type)) {
      attachPaymentMethod(store, pm, store.find<Customer>("customer", pi.customer));
    }
    store.emit("charge.succeeded", charge);
    store.emit("payment_intent.succeeded", pi);
    return;
  }
  charge.status = "failed";
  charge.failure_code = "payment_method_provider_decline";
  charge.failure_message = "The payment was declined by the payment method provider.";
  charge.outcome = {
    ...(charge.outcome as Record<string, unknown>),
    network_status: "declined_by_network",
    type: "issuer_declined",
    seller_message: "The payment failed.",
  };
  pi.status = "requires_payment_method";
  pi.processing = null;
  pi.payment_method = null;
  pi.last_payment_error = {
    type: "card_error",
    charge: charge.id,
    code: "payment_method_provider_decline",
    message: "The payment was declined by the payment method provider.",
    payment_method: pm ? clone(pm) : null,
  };
  store.emit("charge.failed", charge);
  store.emit("payment_intent.payment_failed", pi);
}

export function cancelPaymentIntent(store: Store, pi: PaymentIntent, reason: string | null): void {
  if (pi.status === "succeeded" || pi.status === "canceled" || pi.status === "processing") {
    throw invalid(
      `You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.`,
      undefined,
      "payment_intent_unexpected_state",
    );
  }
  pi.status = "canceled";
  pi.canceled_at = store.now();
  pi.cancellation_reason = reason;
  pi.next_action = null;
  store.emit("payment_intent.canceled", pi);
}

function validateAmount(amount: number, currency: string, param = "amount"): void {
  const min = minimumCharge(currency);
  if (min !== undefined && amount < min) {
    throw invalid(`Amount must be at least ${formatMoney(min, currency)} ${currency}`, param, "amount_too_small");
  }
  if (amount > 99999999) throw invalid("Amount must be no more than $999,999.99", param, "amount_too_large");
}

function offSessionParam(p: Params): boolean {
  const v = p.off_session;
  if (v === undefined || v === "" || v === "false") return false;
  if (v === "true" || v === "one_off" || v === "recurring") return true;
  throw invalid(`Invalid off_session: ${String(v)}`, "off_session");
}

function checkPaymentMethodOwner(pm: PaymentMethod, customer: string | null): void {
  if (pm.customer !== null && pm.customer !== customer) {
    throw invalid(
      customer === null
        ? `The PaymentMethod ${pm.id} is attached to a Customer; pass that customer to use it.`
        : `The provided PaymentMethod was previously attached to a different Customer.`,
      "payment_method",
      "payment_method_unexpected_state",
    );
  }
}

function confirmFromParams(store: Store, pi: PaymentIntent, p: Params): void {
  const pmId = str(p, "payment_method") ?? pi.payment_method;
  if (!pmId) {
    throw invalid(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      undefined,
      "payment_intent_unexpected_state",
    );
  }
  const pm = resolvePaymentMethod(store, pmId, "payment_method");
  checkPaymentMethodOwner(pm, pi.customer);
  const setupFutureUsage = oneOf(p, "setup_future_usage", ["on_session", "off_session"] as const);
  if (setupFutureUsage) pi.setup_future_usage = setupFutureUsage;
  const result = confirmPaymentIntent(store, pi, {
    paymentMethod: pm,
    offSession: offSessionParam(p),
    returnUrl: str(p, "return_url") ?? null,
    errorOnRequiresAction: bool(p, "error_on_requires_action") ?? false,
  });
  if (result.error) throw result.error;
}

export function registerPayments(r: ApiRouter): void {
  r.post("/v1/payment_intents", ({ store, params, expand }) => {
    const currency = str(params, "currency", { required: true })?.toLowerCase() ?? "";
    if (!isCurrency(currency)) throw invalid(`Invalid currency: ${currency}`, "currency");
    const amount = int(params, "amount", { required: true, min: 1 }) ?? 0;
    validateAmount(amount, currency);
    const customerId = str(params, "customer");
    if (customerId) store.findParam<Customer>("customer", customerId, "customer");
    const confirm = bool(params, "confirm") ?? false;
    const offSession = offSessionParam(params);
    if (offSession && !confirm) throw invalid("off_session can only be set when confirm=true.", "off_session");
    const capture = str(params, "capture_method");
    if (capture === "manual") throw invalid("The emulator does not support capture_method=manual.", "capture_method");
    const pmId = str(params, "payment_method");
    const pm = pmId ? resolvePaymentMethod(store, pmId, "payment_method") : null;
    if (pm) checkPaymentMethodOwner(pm, customerId ?? null);
    const automatic = obj(params, "automatic_payment_methods");
    const allowed = strArr(params, "allowed_payment_method_types");
    const types = allowed ?? strArr(params, "payment_method_types") ?? (pm ? [pm.type] : ["card"]);
    const pi = createPaymentIntent(store, {
      amount,
      currency,
      customer: customerId ?? null,
      paymentMethodTypes: types,
      allowedPaymentMethodTypes: allowed ?? null,
      metadata: metadata(params),
      description: str(params, "description", { max: 1000 }) ?? null,
      setupFutureUsage: oneOf(params, "setup_future_usage", ["on_session", "off_session"] as const) ?? null,
      receiptEmail: str(params, "receipt_email") ?? null,
      paymentMethod: pm?.id ?? null,
      statementDescriptor: str(params, "statement_descriptor", { max: 22 }) ?? null,
    });
    if (automatic && bool(automatic, "enabled", { path: "automatic_payment_methods" })) {
      pi.automatic_payment_methods = { allow_redirects: str(automatic, "allow_redirects") ?? "always", enabled: true };
    }
    if (confirm) confirmFromParams(store, pi, params);
    return render(store, pi, expand);
  });

  r.get("/v1/payment_intents", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const items = store
      .all<PaymentIntent>("payment_intent")
      .filter((pi) => (customer === undefined || pi.customer === customer) && matchesCreated(pi.created, params));
    return renderList(store, items, params, "/v1/payment_intents", expand);
  });

  r.get("/v1/payment_intents/:id", (ctx) => render(ctx.store, ctx.store.find<PaymentIntent>("payment_intent", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/payment_intents/:id", (ctx) => {
    const { store, params } = ctx;
    const pi = store.find<PaymentIntent>("payment_intent", pathParam(ctx, "id"));
    const before = clone(pi);
    pi.metadata = metadata(params, pi.metadata);
    const description = str(params, "description");
    if (description !== undefined) pi.description = description;
    const mutable = pi.status === "requires_payment_method" || pi.status === "requires_confirmation" || pi.status === "requires_action";
    const amount = int(params, "amount", { min: 1 });
    const pmId = str(params, "payment_method");
    const customerId = str(params, "customer");
    if ((amount !== undefined || pmId !== undefined || customerId !== undefined) && !mutable) {
      throw invalid(`You cannot update this PaymentIntent because it has a status of ${pi.status}.`, undefined, "payment_intent_unexpected_state");
    }
    if (amount !== undefined) {
      validateAmount(amount, pi.currency);
      pi.amount = amount;
    }
    if (customerId !== undefined) pi.customer = store.findParam<Customer>("customer", customerId, "customer").id;
    if (pmId !== undefined) {
      pi.payment_method = resolvePaymentMethod(store, pmId, "payment_method").id;
      pi.status = "requires_confirmation";
    }
    const sfu = oneOf(params, "setup_future_usage", ["on_session", "off_session"] as const);
    if (sfu) pi.setup_future_usage = sfu;
    const receiptEmail = str(params, "receipt_email");
    if (receiptEmail !== undefined) pi.receipt_email = receiptEmail;
    store.emitChange("payment_intent.updated", before, pi);
    return render(store, pi, ctx.expand);
  });

  r.post("/v1/payment_intents/:id/confirm", (ctx) => {
    const { store, params } = ctx;
    const pi = store.find<PaymentIntent>("payment_intent", pathParam(ctx, "id"));
    if (pi.status === "succeeded") {
      throw invalid(
        "You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.",
        undefined,
        "payment_intent_unexpected_state",
      );
    }
    if (pi.status === "canceled" || pi.status === "processing") {
      throw invalid(`You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`, undefined, "payment_intent_unexpected_state");
    }
    confirmFromParams(store, pi, params);
    return render(store, pi, ctx.expand);
  });

  r.post("/v1/payment_intents/:id/cancel", (ctx) => {
    const pi = ctx.store.find<PaymentIntent>("payment_intent", pathParam(ctx, "id"));
    cancelPaymentIntent(ctx.store, pi, str(ctx.params, "cancellation_reason") ?? null);
    return render(ctx.store, pi, ctx.expand);
  });

  r.get("/v1/charges", ({ store, params, expand }) => {
    const customer = str(params, "customer");
    const paymentIntent = str(params, "payment_intent");
    const items = store
      .all<Charge>("charge")
      .filter(
        (c) =>
          (customer === undefined || c.customer === customer) &&
          (paymentIntent === undefined || c.payment_intent === paymentIntent) &&
          matchesCreated(c.created, params),
      );
    return renderList(store, items, params, "/v1/charges", expand);
  });

  r.get("/v1/charges/:id", (ctx) => render(ctx.store, ctx.store.find<Charge>("charge", pathParam(ctx, "id")), ctx.expand));

  r.post("/v1/charges/:id", (ctx) => {
    const charge = ctx.store.find<Charge>("charge", pathParam(ctx, "id"));
    const before = clone(charge);
    charge.metadata = metadata(ctx.params, charge.metadata);
    const description = str(ctx.params, "description");
    if (description !== undefined) charge.description = description;
    ctx.store.emitChange("charge.updated", before, charge);
    return render(ctx.store, charge, ctx.expand);
  });
}

export type Prediction = { kind: "succeed" } | { kind: "fail"; error: StripeApiError };

/** What a payment with this method would do, without charging (for error_if_incomplete and checkout's pre-checks). */
export function predictOutcome(store: Store, pm: PaymentMethod, offSession: boolean): Prediction {
  const card = pm.type === "card" ? cardOf(store, pm) : undefined;
  if (!card || card.behaviour === "succeed") return { kind: "succeed" };
  if (card.behaviour === "authenticate_on_session" && offSession) return { kind: "succeed" };
  const decline = card.behaviour === "decline" ? (card.decline ?? GENERIC_DECLINE) : AUTHENTICATION_REQUIRED;
  return {
    kind: "fail",
    error: new StripeApiError(402, {
      type: "card_error",
      code: decline.code,
      decline_code: decline.decline_code,
      message: decline.message,
      doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    }),
  };
}
