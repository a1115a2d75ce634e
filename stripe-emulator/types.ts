// The slice of each Stripe object the emulator reads or writes; the remaining fixture fields ride along untyped.
import type { Metadata } from "./params.js";

export interface StripeObject {
  id: string;
  object: string;
  created: number;
  livemode: boolean;
  [key: string]: unknown;
}

export interface ListObject<T = unknown> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface Customer extends StripeObject {
  object: "customer";
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  balance: number;
  metadata: Metadata;
  invoice_prefix: string;
  next_invoice_sequence: number;
  invoice_settings: { default_payment_method: string | null; [key: string]: unknown };
  deleted?: boolean;
}

export interface PaymentMethod extends StripeObject {
  object: "payment_method";
  type: string;
  customer: string | null;
  metadata: Metadata;
  billing_details: { email: string | null; name: string | null; [key: string]: unknown };
  card?: { brand: string; last4: string; exp_month: number; exp_year: number; [key: string]: unknown };
}

export type PaymentIntentStatus = "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "succeeded" | "canceled";

export interface PaymentIntent extends StripeObject {
  object: "payment_intent";
  amount: number;
  amount_received: number;
  currency: string;
  customer: string | null;
  description: string | null;
  status: PaymentIntentStatus;
  payment_method: string | null;
  payment_method_types: string[];
  latest_charge: string | null;
  last_payment_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  metadata: Metadata;
  setup_future_usage: string | null;
  client_secret: string;
  canceled_at: number | null;
  cancellation_reason: string | null;
}

export interface Charge extends StripeObject {
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  currency: string;
  customer: string | null;
  payment_intent: string | null;
  payment_method: string | null;
  status: "succeeded" | "pending" | "failed";
  paid: boolean;
  refunded: boolean;
  disputed: boolean;
  captured: boolean;
  failure_code: string | null;
  failure_message: string | null;
  metadata: Metadata;
  payment_method_details: { type: string; [key: string]: unknown };
}

export interface Refund extends StripeObject {
  object: "refund";
  amount: number;
  charge: string;
  payment_intent: string | null;
  currency: string;
  status: string;
  reason: string | null;
  metadata: Metadata;
}

export interface Dispute extends StripeObject {
  object: "dispute";
  amount: number;
  charge: string;
  payment_intent: string | null;
  currency: string;
  reason: string;
  status: string;
  metadata: Metadata;
  is_charge_refundable: boolean;
}

export interface Product extends StripeObject {
  object: "product";
  name: string;
  active: boolean;
  description: string | null;
  metadata: Metadata;
  default_price: string | null;
  updated: number;
}

export interface Recurring {
  interval: "day" | "week" | "month" | "year";
  interval_count: number;
  meter: null;
  trial_period_days: number | null;
  usage_type: "licensed";
}

export interface Price extends StripeObject {
  object: "price";
  active: boolean;
  currency: string;
  unit_amount: number;
  unit_amount_decimal: string;
  product: string;
  recurring: Recurring | null;
  type: "one_time" | "recurring";
  lookup_key: string | null;
  nickname: string | null;
  metadata: Metadata;
}

export interface CheckoutItem {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  price: Price;
  quantity: number;
  metadata: Metadata | null;
  adjustable_quantity: null;
}

export interface CheckoutSession extends StripeObject {
  object: "checkout.session";
  mode: "payment" | "subscription" | "setup";
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid" | "no_payment_required";
  amount_total: number | null;
  amount_subtotal: number | null;
  currency: string | null;
  customer: string | null;
  customer_email: string | null;
  customer_creation: string | null;
  customer_details: Record<string, unknown> | null;
  client_reference_id: string | null;
  client_secret: string | null;
  payment_intent: string | null;
  payment_method_types: string[];
  subscription: string | null;
  invoice: string | null;
  setup_intent: string | null;
  success_url: string | null;
  cancel_url: string | null;
  return_url?: string;
  redirect_on_completion?: string;
  ui_mode: string | null;
  url: string | null;
  expires_at: number;
  metadata: Metadata;
  invoice_creation: { enabled: boolean; invoice_data: Record<string, unknown> } | null;
}

export interface SubscriptionItem extends StripeObject {
  object: "subscription_item";
  price: Price;
  plan: Record<string, unknown>;
  quantity: number;
  subscription: string;
  current_period_start: number;
  current_period_end: number;
  metadata: Metadata;
}

export type SubscriptionStatus = "incomplete" | "incomplete_expired" | "trialing" | "active" | "past_due" | "canceled" | "unpaid" | "paused";

export interface Subscription extends StripeObject {
  object: "subscription";
  customer: string;
  status: SubscriptionStatus;
  currency: string;
  items: ListObject<SubscriptionItem>;
  current_period_start: number;
  current_period_end: number;
  billing_cycle_anchor: number;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  canceled_at: number | null;
  ended_at: number | null;
  cancellation_details: { comment: string | null; feedback: string | null; reason: string | null };
  default_payment_method: string | null;
  latest_invoice: string | null;
  metadata: Metadata;
  trial_start: number | null;
  trial_end: number | null;
  start_date: number;
  description: string | null;
}

export interface InvoiceLine {
  id: string;
  object: "line_item";
  amount: number;
  currency: string;
  description: string | null;
  invoice: string | null;
  livemode: boolean;
  metadata: Metadata;
  period: { start: number; end: number };
  quantity: number | null;
  subscription: string | null;
  subtotal: number;
  [key: string]: unknown;
}

/** A one-off charge (or credit, when negative) for a customer: pending until an invoice takes it in. */
export interface InvoiceItem extends StripeObject {
  object: "invoiceitem";
  amount: number;
  currency: string;
  customer: string;
  date: number;
  description: string | null;
  discountable: boolean;
  discounts: string[];
  invoice: string | null;
  metadata: Metadata;
  period: { start: number; end: number };
  proration: boolean;
  quantity: number;
  quantity_decimal: string;
  tax_rates: unknown[];
  test_clock: null;
  parent: { type: "subscription_details"; subscription_details: { subscription: string } } | null;
  pricing: { type: "price_details"; unit_amount_decimal: string | null } | null;
  net_amount: number;
  customer_account: null;
}

export type InvoiceStatus = "draft" | "open" | "paid" | "void" | "uncollectible";

export interface Invoice extends StripeObject {
  object: "invoice";
  customer: string | null;
  currency: string;
  status: InvoiceStatus;
  number: string | null;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  subtotal: number;
  total: number;
  starting_balance: number;
  ending_balance: number | null;
  attempt_count: number;
  attempted: boolean;
  billing_reason: string | null;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  period_start: number;
  period_end: number;
  lines: ListObject<InvoiceLine>;
  metadata: Metadata;
  next_payment_attempt: number | null;
  default_payment_method: string | null;
  status_transitions: {
    finalized_at: number | null;
    marked_uncollectible_at: number | null;
    paid_at: number | null;
    voided_at: number | null;
  };
  subscription: string | null;
  parent: Record<string, unknown> | null;
}

export interface SetupIntent extends StripeObject {
  object: "setup_intent";
  customer: string | null;
  payment_method: string | null;
  status: "requires_payment_method" | "requires_confirmation" | "requires_action" | "processing" | "succeeded" | "canceled";
  usage: string;
  metadata: Metadata;
  client_secret: string;
  last_setup_error: Record<string, unknown> | null;
  next_action: Record<string, unknown> | null;
  payment_method_types: string[];
}

export interface PortalProductConfig {
  adjustable_quantity: { enabled: boolean; maximum: number | null; minimum: number };
  prices: string[];
  product: string;
}

export interface PortalConfiguration extends StripeObject {
  object: "billing_portal.configuration";
  active: boolean;
  application: null;
  business_profile: { headline: string | null; privacy_policy_url: string | null; terms_of_service_url: string | null };
  default_return_url: string | null;
  features: {
    customer_update: { allowed_updates: string[]; enabled: boolean };
    invoice_history: { enabled: boolean };
    payment_method_update: { enabled: boolean; payment_method_configuration: null };
    subscription_cancel: {
      cancellation_reason: { enabled: boolean; options: string[] };
      enabled: boolean;
      mode: "at_period_end" | "immediately";
      proration_behavior: "create_prorations" | "always_invoice" | "none";
    };
    subscription_update: {
      default_allowed_updates: string[];
      enabled: boolean;
      products: PortalProductConfig[];
      proration_behavior: "create_prorations" | "always_invoice" | "none";
      schedule_at_period_end: { conditions: { type: string }[] };
      trial_update_behavior: "continue_trial" | "end_trial";
      billing_cycle_anchor: "now" | "unchanged" | null;
    };
  };
  is_default: boolean;
  login_page: { enabled: boolean; url: string | null };
  metadata: Record<string, string>;
  name: string | null;
  updated: number;
}

export interface PortalSession extends StripeObject {
  object: "billing_portal.session";
  configuration: string;
  customer: string;
  return_url: string | null;
  url: string;
  flow: Record<string, unknown> | null;
}

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}
