// The /_emulator control API: drives what a customer, a bank or time would do, and steers webhook delivery.
import { ControlError, invalid } from "./errors.js";
import { render } from "./expand.js";
import type { Params } from "./params.js";
import { authenticateIntent } from "./pages/checkout-page.js";
import { tickBilling } from "./resources/subscriptions.js";
import { attemptCheckout, settleCheckoutPayment, tickCheckout } from "./resources/checkout.js";
import { closeDispute, createDispute, escalateDispute, failRefund } from "./resources/refunds.js";
import type { Router } from "./router.js";
import type { Store } from "./store.js";
import type { Charge, CheckoutSession, Dispute, Invoice, PaymentIntent, Refund, SetupIntent, Subscription } from "./types.js";
import type { DeliveryMode, FlushOrder, WebhookDispatcher } from "./webhooks.js";

export interface ControlContext {
  store: Store;
  dispatcher: WebhookDispatcher;
  body: Params;
  query: Params;
  pathParams: Record<string, string>;
  defaultWebhookSecret: string;
}

export type ControlHandler = (ctx: ControlContext) => unknown;

function id(ctx: ControlContext): string {
  return ctx.pathParams.id ?? "";
}

function bodyString(ctx: ControlContext, key: string): string | undefined {
  const v = ctx.body[key];
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v !== "string") throw new ControlError(400, `${key} must be a string`);
  return v;
}

function bodyInt(ctx: ControlContext, key: string): number | undefined {
  const v = ctx.body[key];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isSafeInteger(n)) throw new ControlError(400, `${key} must be an integer`);
  return n;
}

function oneOfBody<T extends string>(ctx: ControlContext, key: string, values: readonly T[], fallback?: T): T {
  const v = bodyString(ctx, key) ?? fallback;
  if (v === undefined || !(values as readonly string[]).includes(v)) throw new ControlError(400, `${key} must be one of ${values.join(", ")}`);
  return v as T;
}

function find<T>(store: Store, object: string, objectId: string): T {
  const found = store.get(objectId);
  if (!found || found.object !== object) throw new ControlError(404, `No such ${object}: ${objectId}`);
  return found as T;
}

/** Renewals, dunning and expiry up to the current emulator time. */
export function tick(store: Store): void {
  tickCheckout(store);
  tickBilling(store);
}

function eventSummary(store: Store, typeFilter?: string): unknown[] {
  return store.events
    .filter((r) => !typeFilter || r.event.type === typeFilter || (typeFilter.endsWith("*") && r.event.type.startsWith(typeFilter.slice(0, -1))))
    .map((r) => ({
      id: r.event.id,
      type: r.event.type,
      created: r.event.created,
      object_id: r.event.data.object.id,
      state: r.state,
      deliveries: r.deliveries,
      event: r.event,
    }));
}

export function registerControl(r: Router<ControlHandler>): void {
  r.get("/_emulator/webhook", ({ dispatcher }) => ({ url: dispatcher.target?.url ?? null, secret: dispatcher.target?.secret ?? null }));

  r.post("/_emulator/webhook", (ctx) => {
    const url = bodyString(ctx, "url");
    if (url) {
      try {
        new URL(url);
      } catch {
        throw new ControlError(400, "url must be an absolute URL");
      }
      ctx.dispatcher.target = { url, secret: bodyString(ctx, "secret") ?? ctx.dispatcher.target?.secret ?? ctx.defaultWebhookSecret };
    } else {
      ctx.dispatcher.target = null;
    }
    return { url: ctx.dispatcher.target?.url ?? null, secret: ctx.dispatcher.target?.secret ?? null };
  });

  r.post("/_emulator/checkout_sessions/:id/complete", (ctx) => {
    const session = find<CheckoutSession>(ctx.store, "checkout.session", id(ctx));
    const outcome = oneOfBody(ctx, "outcome", ["paid", "pending", "declined"] as const, "paid");
    const methodType = bodyString(ctx, "payment_method_type") ?? session.payment_method_types[0] ?? "card";
    const result = attemptCheckout(ctx.store, session, {
      methodType,
      outcome,
      email: bodyString(ctx, "email") ?? null,
      name: bodyString(ctx, "name") ?? null,
    });
    return {
      result: result.kind,
      ...(result.kind === "declined" ? { code: result.code, message: result.message } : {}),
      session: render(ctx.store, session, ["payment_intent"]),
    };
  });

  r.post("/_emulator/checkout_sessions/:id/expire", (ctx) => {
    const session = find<CheckoutSession>(ctx.store, "checkout.session", id(ctx));
    const skew = ctx.store.sessionExtra.get(session.id)?.expirySkew ?? 0;
    ctx.store.clockOffset += Math.max(0, session.expires_at + skew - ctx.store.now());
    tick(ctx.store);
    return { session: render(ctx.store, session, []), now: ctx.store.now() };
  });

  r.post("/_emulator/payment_intents/:id/settle", (ctx) => {
    const pi = find<PaymentIntent>(ctx.store, "payment_intent", id(ctx));
    const outcome = oneOfBody(ctx, "outcome", ["succeeded", "failed"] as const, "succeeded");
    settleCheckoutPayment(ctx.store, pi, outcome);
    return render(ctx.store, pi, ["latest_charge"]);
  });

  r.post("/_emulator/payment_intents/:id/authenticate", (ctx) => {
    const pi = find<PaymentIntent>(ctx.store, "payment_intent", id(ctx));
    const outcome = oneOfBody(ctx, "outcome", ["succeeded", "failed"] as const, "succeeded");
    authenticateIntent(ctx.store, pi, outcome === "succeeded");
    return render(ctx.store, pi, ["latest_charge"]);
  });

  r.post("/_emulator/setup_intents/:id/authenticate", (ctx) => {
    const seti = find<SetupIntent>(ctx.store, "setup_intent", id(ctx));
    const outcome = oneOfBody(ctx, "outcome", ["succeeded", "failed"] as const, "succeeded");
    authenticateIntent(ctx.store, seti, outcome === "succeeded");
    return render(ctx.store, seti, []);
  });

  r.post("/_emulator/charges/:id/dispute", (ctx) => {
    const charge = find<Charge>(ctx.store, "charge", id(ctx));
    const inquiry = ctx.body.inquiry === true || ctx.body.inquiry === "true";
    return createDispute(ctx.store, charge, { amount: bodyInt(ctx, "amount"), reason: bodyString(ctx, "reason"), inquiry });
  });

  r.post("/_emulator/disputes/:id/close", (ctx) => {
    const dispute = find<Dispute>(ctx.store, "dispute", id(ctx));
    closeDispute(ctx.store, dispute, oneOfBody(ctx, "status", ["won", "lost", "warning_closed"] as const));
    return dispute;
  });

  r.post("/_emulator/disputes/:id/escalate", (ctx) => {
    const dispute = find<Dispute>(ctx.store, "dispute", id(ctx));
    escalateDispute(ctx.store, dispute);
    return dispute;
  });

  r.post("/_emulator/refunds/:id/fail", (ctx) => {
    const refund = find<Refund>(ctx.store, "refund", id(ctx));
    failRefund(ctx.store, refund);
    return refund;
  });

  r.get("/_emulator/clock", ({ store }) => ({ now: store.now(), offset: store.clockOffset }));

  r.post("/_emulator/clock/advance", (ctx) => {
    const seconds = bodyInt(ctx, "seconds");
    const to = bodyInt(ctx, "to");
    if (seconds === undefined && to === undefined) throw new ControlError(400, "Pass seconds (to move forward by) or to (a unix time).");
    const delta = to !== undefined ? to - ctx.store.now() : (seconds ?? 0);
    if (delta < 0) throw new ControlError(400, "The clock only moves forward.");
    ctx.store.clockOffset += delta;
    tick(ctx.store);
    return { now: ctx.store.now(), offset: ctx.store.clockOffset };
  });

  r.post("/_emulator/subscriptions/:id/advance", (ctx) => {
    const sub = find<Subscription>(ctx.store, "subscription", id(ctx));
    const periods = bodyInt(ctx, "periods") ?? 1;
    if (periods < 1 || periods > 100) throw new ControlError(400, "periods must be between 1 and 100.");
    for (let i = 0; i < periods; i++) {
      if (sub.status !== "active" && sub.status !== "past_due" && sub.status !== "trialing") break;
      const end = sub.items.data[0]?.current_period_end ?? ctx.store.now();
      if (end > ctx.store.now()) ctx.store.clockOffset += end - ctx.store.now();
      tick(ctx.store);
    }
    return { now: ctx.store.now(), subscription: render(ctx.store, sub, []), latest_invoice: sub.latest_invoice ? ctx.store.get(sub.latest_invoice) : null };
  });

  r.post("/_emulator/invoices/:id/retry", (ctx) => {
    const invoice = find<Invoice>(ctx.store, "invoice", id(ctx));
    if (invoice.status !== "open" || invoice.next_payment_attempt === null) {
      throw new ControlError(400, `Invoice ${invoice.id} has no retry scheduled (status ${invoice.status}); pay it with invoices.pay instead.`);
    }
    if (invoice.next_payment_attempt > ctx.store.now()) ctx.store.clockOffset += invoice.next_payment_attempt - ctx.store.now();
    tick(ctx.store);
    const sub = invoice.subscription ? ctx.store.get(invoice.subscription) : null;
    return { now: ctx.store.now(), invoice: render(ctx.store, invoice, []), subscription: sub };
  });

  r.get("/_emulator/dunning", ({ store }) => store.dunning);

  r.post("/_emulator/dunning", (ctx) => {
    const { store, body } = ctx;
    const interval = bodyInt(ctx, "retryIntervalSeconds");
    const attempts = bodyInt(ctx, "maxAttempts");
    if (interval !== undefined && interval < 1) throw new ControlError(400, "retryIntervalSeconds must be at least 1.");
    if (attempts !== undefined && (attempts < 1 || attempts > 8)) throw new ControlError(400, "maxAttempts must be between 1 and 8.");
    if (interval !== undefined) store.dunning.retryIntervalSeconds = interval;
    if (attempts !== undefined) store.dunning.maxAttempts = attempts;
    if (body.afterRetries !== undefined) store.dunning.afterRetries = oneOfBody(ctx, "afterRetries", ["cancel", "unpaid"] as const);
    return store.dunning;
  });

  r.get("/_emulator/events", (ctx) => {
    const type = typeof ctx.query.type === "string" ? ctx.query.type : undefined;
    return { data: eventSummary(ctx.store, type) };
  });

  r.post("/_emulator/events/:id/redeliver", async (ctx) => {
    const record = ctx.store.eventById.get(id(ctx));
    if (!record) throw new ControlError(404, `No such event: ${id(ctx)}`);
    if (!ctx.dispatcher.target) throw new ControlError(400, "No webhook endpoint is set; POST /_emulator/webhook first.");
    const times = bodyInt(ctx, "times") ?? 1;
    if (times < 1 || times > 50) throw new ControlError(400, "times must be between 1 and 50");
    const attempts = await ctx.dispatcher.redeliver(record, times, ctx.body.concurrent === true || ctx.body.concurrent === "true");
    return { id: record.event.id, attempts };
  });

  r.get("/_emulator/delivery", ({ dispatcher }) => ({ mode: dispatcher.mode, held: dispatcher.heldCount(), retryDelaysMs: dispatcher.retryDelaysMs }));

  r.post("/_emulator/delivery", (ctx) => {
    const { dispatcher } = ctx;
    if (ctx.body.mode !== undefined) dispatcher.mode = oneOfBody<DeliveryMode>(ctx, "mode", ["normal", "duplicate", "reverse", "hold"]);
    const delays = ctx.body.retryDelaysMs;
    if (delays !== undefined) {
      if (!Array.isArray(delays) || !delays.every((d) => Number.isInteger(d) && d >= 0))
        throw new ControlError(400, "retryDelaysMs must be an array of non-negative integers");
      dispatcher.retryDelaysMs = delays as number[];
    }
    const timeout = bodyInt(ctx, "timeoutMs");
    if (timeout !== undefined) dispatcher.timeoutMs = timeout;
    return { mode: dispatcher.mode, held: dispatcher.heldCount(), retryDelaysMs: dispatcher.retryDelaysMs };
  });

  r.post("/_emulator/delivery/flush", async (ctx) => {
    const order = oneOfBody<FlushOrder>(ctx, "order", ["reverse", "forward", "shuffle"], "reverse");
    const delivered = await ctx.dispatcher.flush(order);
    return { delivered };
  });

  r.post("/_emulator/delivery/wait", async (ctx) => {
    const idle = await ctx.dispatcher.waitIdle(bodyInt(ctx, "timeoutMs") ?? 10000, ctx.body.includeRetries === true);
    return { idle };
  });

  r.post("/_emulator/portal", (ctx) => {
    const { store, body } = ctx;
    if (body.enabled !== undefined) store.portalEnabled = body.enabled === true || body.enabled === "true";
    if (body.prorationBehavior !== undefined) {
      store.portalProrationBehavior = oneOfBody(ctx, "prorationBehavior", ["create_prorations", "always_invoice", "none"] as const);
    }
    if (body.cancelMode !== undefined) store.portalCancelMode = oneOfBody(ctx, "cancelMode", ["at_period_end", "immediately"] as const);
    return { enabled: store.portalEnabled, prorationBehavior: store.portalProrationBehavior, cancelMode: store.portalCancelMode };
  });

  r.get("/_emulator/state", ({ store, dispatcher }) => {
    const objects: Record<string, unknown[]> = {};
    for (const obj of store.objects.values()) (objects[obj.object] ??= []).push(obj);
    return {
      now: store.now(),
      clockOffset: store.clockOffset,
      webhook: dispatcher.target ? { url: dispatcher.target.url } : null,
      delivery: { mode: dispatcher.mode, held: dispatcher.heldCount() },
      portal: { enabled: store.portalEnabled, prorationBehavior: store.portalProrationBehavior, cancelMode: store.portalCancelMode },
      counts: Object.fromEntries(Object.entries(objects).map(([k, v]) => [k, v.length])),
      events: store.events.length,
      objects,
    };
  });

  r.get("/_emulator/requests", ({ store }) => ({ data: store.requests }));

  r.post("/_emulator/reset", (ctx) => {
    ctx.store.reset();
    ctx.dispatcher.reset();
    if (ctx.body.keepWebhook === false) ctx.dispatcher.target = null;
    return { reset: true, webhook: ctx.dispatcher.target?.url ?? null };
  });

  // Read-only intent status for the Stripe.js stand-in; the client secret is the credential, as with publishable-key reads.
  r.get("/_emulator/js/intents/:id", (ctx) => {
    const found = ctx.store.get(id(ctx));
    const secret = typeof ctx.query.client_secret === "string" ? ctx.query.client_secret : "";
    if (!found || (found.object !== "payment_intent" && found.object !== "setup_intent") || found.client_secret !== secret) {
      throw invalid("No such intent for this client secret.", "client_secret", "resource_missing");
    }
    const intent = found as PaymentIntent | SetupIntent;
    const pick = (keys: string[]): Record<string, unknown> => Object.fromEntries(keys.filter((k) => k in intent).map((k) => [k, intent[k]]));
    return pick([
      "id",
      "object",
      "amount",
      "currency",
      "status",
      "client_secret",
      "created",
      "livemode",
      "next_action",
      "payment_method",
      "last_payment_error",
      "last_setup_error",
      "description",
    ]);
  });
}
