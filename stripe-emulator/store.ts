/// <reference types="node" />
// In-memory state: every object by id, per-type insertion order, side tables the API never shows, the clock, and emitted events.
import { randomBytes } from "node:crypto";
import { invalid, missing } from "./errors.js";
import type { CheckoutItem, StripeEvent, StripeObject } from "./types.js";

export const API_VERSION = "2026-10-28.endive";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] ?? 0) % ALPHABET.length];
  return out;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export interface DeliveryAttempt {
  attempt: number;
  kind: "initial" | "retry" | "duplicate" | "redeliver";
  at: string;
  status: number | null;
  ok: boolean;
  error?: string;
  durationMs: number;
}

export type DeliveryState = "pending" | "held" | "retrying" | "delivered" | "failed" | "no_endpoint";

export interface EventRecord {
  event: StripeEvent;
  /** Exact JSON body sent to the endpoint, fixed at emission so redeliveries are byte-identical. */
  payload: string;
  state: DeliveryState;
  deliveries: DeliveryAttempt[];
}

export interface PendingProration {
  description: string;
  amount: number;
  price: string;
  quantity: number;
  subscriptionItem: string;
  period: { start: number; end: number };
}

export interface SubscriptionMeta {
  /** Period boundaries are counted from the anchor so month-end days do not drift. */
  anchor: number;
  cycles: number;
  pending: PendingProration[];
}

export interface InvoicePaymentRecord {
  id: string;
  object: "invoice_payment";
  amount_paid: number | null;
  amount_requested: number;
  created: number;
  currency: string;
  invoice: string;
  is_default: boolean;
  livemode: boolean;
  payment: { type: "payment_intent"; payment_intent: string };
  status: "open" | "paid" | "canceled";
  status_transitions: { canceled_at: number | null; paid_at: number | null };
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: string;
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  requestId: string;
}

export interface RequestInfo {
  id: string | null;
  idempotency_key: string | null;
}

const TYPE_LABEL: Record<string, string> = {
  customer: "customer",
  payment_method: "PaymentMethod",
  payment_intent: "payment_intent",
  charge: "charge",
  refund: "refund",
  dispute: "dispute",
  product: "product",
  price: "price",
  "checkout.session": "checkout.session",
  subscription: "subscription",
  subscription_item: "subscription_item",
  invoice: "invoice",
  setup_intent: "setupintent",
  "billing_portal.session": "billing_portal.session",
  "billing_portal.configuration": "billing_portal.configuration",
  event: "event",
};

export interface DunningSettings {
  retryIntervalSeconds: number;
  maxAttempts: number;
  afterRetries: "cancel" | "unpaid";
}

export const DEFAULT_DUNNING: DunningSettings = { retryIntervalSeconds: 3 * 86400, maxAttempts: 4, afterRetries: "cancel" };

export class Store {
  readonly objects = new Map<string, StripeObject>();
  private readonly order = new Map<string, string[]>();
  clockOffset = 0;
  publicBaseUrl: string;
  portalEnabled = true;
  /** How plan switches in the portal prorate, and whether its cancel ends the plan now or at period end. */
  portalProrationBehavior: "create_prorations" | "always_invoice" | "none" = "create_prorations";
  portalCancelMode: "at_period_end" | "immediately" = "at_period_end";
  /** Smart Retries stand-in: seconds between attempts of a failed subscription invoice, attempts in all, then cancel or mark unpaid. */
  dunning: DunningSettings = { ...DEFAULT_DUNNING };

  readonly sessionItems = new Map<string, CheckoutItem[]>();
  readonly sessionBySecret = new Map<string, string>();
  /** Card a checkout attempt is waiting to 3-D Secure (subscription and setup modes have no PaymentIntent yet). */
  readonly sessionPendingAuth = new Map<string, { methodType: string; cardNumber: string; email: string | null; name: string | null }>();
  readonly sessionByPaymentIntent = new Map<string, string>();
  /** Checkout params applied only at completion (payment_intent_data, subscription_data). */
  readonly sessionExtra = new Map<
    string,
    { paymentIntentData: Record<string, unknown> | null; subscriptionData: Record<string, unknown> | null; expirySkew: number }
  >();
  readonly cardNumberByPaymentMethod = new Map<string, string>();
  readonly subscriptionMeta = new Map<string, SubscriptionMeta>();
  readonly invoicePayments = new Map<string, InvoicePaymentRecord[]>();
  readonly invoiceBySubscriptionPaymentIntent = new Map<string, string>();
  readonly portalBySecret = new Map<string, string>();
  readonly portalSecretBySession = new Map<string, string>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly requests: RequestLogEntry[] = [];
  readonly events: EventRecord[] = [];
  readonly eventById = new Map<string, EventRecord>();
  invoiceSequence = 0;

  requestInfo: RequestInfo = { id: null, idempotency_key: null };
  private batch: EventRecord[] | null = null;
  onEvents: (records: EventRecord[]) => void = () => {};

  constructor(publicBaseUrl: string) {
    this.publicBaseUrl = publicBaseUrl;
  }

  reset(): void {
    this.objects.clear();
    this.order.clear();
    this.clockOffset = 0;
    this.portalEnabled = true;
    this.portalProrationBehavior = "create_prorations";
    this.portalCancelMode = "at_period_end";
    this.dunning = { ...DEFAULT_DUNNING };
    for (const table of [
      this.sessionItems,
      this.sessionBySecret,
      this.sessionPendingAuth,
      this.sessionByPaymentIntent,
      this.sessionExtra,
      this.cardNumberByPaymentMethod,
      this.subscriptionMeta,
      this.invoicePayments,
      this.invoiceBySubscriptionPaymentIntent,
      this.portalBySecret,
      this.portalSecretBySession,
      this.idempotency,
      this.eventById,
    ]) {
      table.clear();
    }
    this.requests.length = 0;
    this.events.length = 0;
    this.invoiceSequence = 0;
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  newId(prefix: string, length = 24): string {
    return `${prefix}${randomId(length)}`;
  }

  add<T extends StripeObject>(obj: T): T {
    this.objects.set(obj.id, obj);
    const ids = this.order.get(obj.object) ?? [];
    ids.push(obj.id);
    this.order.set(obj.object, ids);
    return obj;
  }

  get(id: string): StripeObject | undefined {
    return this.objects.get(id);
  }

  /** Looks an object up by id and type or throws Stripe's resource_missing error. */
  find<T extends StripeObject>(object: string, id: string, param = "id"): T {
    const found = this.objects.get(id);
    if (!found || found.object !== object || found.deleted === true) {
      throw missing(TYPE_LABEL[object] ?? object, id, param);
    }
    return found as T;
  }

  /** Like find, but a bad reference inside params is a 400 naming that param. */
  findParam<T extends StripeObject>(object: string, id: string, param: string): T {
    const found = this.objects.get(id);
    if (!found || found.object !== object || found.deleted === true) {
      throw invalid(`No such ${TYPE_LABEL[object] ?? object}: '${id}'`, param, "resource_missing");
    }
    return found as T;
  }

  /** All objects of a type, newest first (Stripe's list order). */
  all<T extends StripeObject>(object: string): T[] {
    const ids = this.order.get(object) ?? [];
    const out: T[] = [];
    for (let i = ids.length - 1; i >= 0; i--) {
      const o = this.objects.get(ids[i] ?? "");
      if (o && o.deleted !== true) out.push(o as T);
    }
    return out;
  }

  base(object: string, prefix: string, idLength = 24): { id: string; object: string; created: number; livemode: false } {
    return { id: this.newId(prefix, idLength), object, created: this.now(), livemode: false };
  }

  url(path: string): string {
    return `${this.publicBaseUrl}${path}`;
  }

  emit(type: string, obj: StripeObject, previous?: Record<string, unknown>): StripeEvent {
    const event: StripeEvent = {
      id: this.newId("evt_"),
      object: "event",
      api_version: API_VERSION,
      created: this.now(),
      data: previous && Object.keys(previous).length > 0 ? { object: clone(obj), previous_attributes: previous } : { object: clone(obj) },
      livemode: false,
      pending_webhooks: 0,
      request: { ...this.requestInfo },
      type,
    };
    const record: EventRecord = { event, payload: "", state: "pending", deliveries: [] };
    this.events.push(record);
    this.eventById.set(event.id, record);
    if (this.batch) this.batch.push(record);
    else this.onEvents([record]);
    return event;
  }

  /** Emits `type` with previous_attributes computed from a snapshot taken before the change. */
  emitChange(type: string, before: StripeObject, after: StripeObject): StripeEvent | undefined {
    const previous = diffPrevious(before, after);
    if (Object.keys(previous).length === 0) return undefined;
    return this.emit(type, after, previous);
  }

  /** Collects events emitted while handling one request so they are delivered after its response. */
  beginBatch(info: RequestInfo): void {
    this.batch = [];
    this.requestInfo = info;
  }

  /** Closes the batch and hands back its events; the server dispatches them once the response is written. */
  endBatch(): EventRecord[] {
    const records = this.batch ?? [];
    this.batch = null;
    this.requestInfo = { id: null, idempotency_key: null };
    return records;
  }

  nextInvoiceNumber(prefix: string, customer: { next_invoice_sequence: number } | null): string {
    if (customer) {
      const n = customer.next_invoice_sequence;
      customer.next_invoice_sequence = n + 1;
      return `${prefix}-${String(n).padStart(4, "0")}`;
    }
    this.invoiceSequence += 1;
    return `${prefix}-${String(this.invoiceSequence).padStart(4, "0")}`;
  }
}

/** Top-level keys whose value changed, with their old values (Stripe's data.previous_attributes). */
export function diffPrevious(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      previous[key] = before[key] === undefined ? null : clone(before[key]);
    }
  }
  return previous;
}
