/** A Stripe subscription as the core needs it, read fresh from Stripe (never from an event body). */
export type SubscriptionSnapshot = {
  id: string;
  customerId: string | null;
  /** The team id Creditdesk put in the subscription's metadata, if any. */
  teamId: string | null;
  /** Stripe's status word: active, trialing, past_due, unpaid, canceled, incomplete, incomplete_expired, paused. */
  status: string;
  /** The lookup key of the first item's price (plans.stripe_monthly_lookup / stripe_annual_lookup). */
  priceLookupKey: string | null;
  /** The plan id Creditdesk put in the price's metadata and whether it bills yearly (when the lookup key moved on). */
  pricePlan?: { planId: string; annual: boolean } | null;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  /** When this snapshot was read from Stripe (absent: now, when applied). */
  readAt?: Date;
  /** The subscription's latest invoice, when known (a direct change grants its plan credits at once, as the webhook will). */
  latestInvoiceId?: string | null;
};

/** A subscription invoice as the core needs it to grant plan credits. */
export type SubscriptionInvoiceSnapshot = {
  id: string;
  subscriptionId: string | null;
  /** draft, open, paid, void, uncollectible. */
  status: string | null;
  /** subscription_create, subscription_cycle, subscription_update, manual ... */
  billingReason: string | null;
  /** The lookup key of the price its subscription line bills, and the period that line covers. */
  priceLookupKey: string | null;
  /** The plan id Creditdesk put in the price's metadata and whether it bills yearly (when the lookup key moved on). */
  pricePlan?: { planId: string; annual: boolean } | null;
  periodStart: Date;
  periodEnd: Date;
  /** false when the plan line bills a whole new period (a monthly ↔ annual change starts a cycle); true or unknown otherwise. */
  planLineProration?: boolean;
};

/** The port through which the core reads subscriptions and their invoices (lib/stripe/subscription-gateway.ts). */
export type SubscriptionGateway = {
  retrieveSubscription(id: string): Promise<SubscriptionSnapshot>;
  retrieveSubscriptionInvoice(id: string): Promise<SubscriptionInvoiceSnapshot>;
};

/** A plan's recurring price at Stripe, found by lookup key and created once when missing. */
export type PlanPriceSpec = { lookupKey: string; amountCents: bigint; currency: string; interval: "month" | "year"; planId: string; productName: string };

/** An invoice preview (Stripe's invoices.createPreview) in the core's terms. */
export type InvoicePreview = {
  amountDueCents: bigint;
  lines: { description: string; amountCents: bigint; proration: boolean }[];
  periodEnd: Date | null;
};

export type SubscriptionChange = {
  subscriptionId: string;
  priceId: string;
  /** always_invoice: prorate and charge now; none: no charge and no credit (downgrades). */
  prorationBehavior: "always_invoice" | "none";
  /** A new cycle starts now (monthly ↔ annual). */
  resetCycle: boolean;
  /** Unix seconds, as previewed, so the charge is exactly the preview. */
  prorationDate: number | null;
};

/** Creating and changing subscriptions, their previews, Checkout in subscription mode and the customer portal. */
export type SubscriptionChangeGateway = {
  ensurePlanPrice(spec: PlanPriceSpec): Promise<string>;
  /** The customer's subscriptions Stripe has as paying or owing now (active, trialing, past_due, unpaid). */
  liveSubscriptions(customerId: string): Promise<SubscriptionSnapshot[]>;
  /** Charges the first invoice on the customer's saved card; a decline is PAYMENT_FAILED and leaves no subscription. */
  createSubscription(s: {
    customerId: string;
    priceId: string;
    paymentMethodId: string;
    metadata: Record<string, string>;
    idempotencyKey: string;
  }): Promise<SubscriptionSnapshot>;
  /** A decline (always_invoice) is PAYMENT_FAILED and changes nothing (payment_behavior error_if_incomplete). */
  changeSubscription(change: SubscriptionChange, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  setCancelAtPeriodEnd(subscriptionId: string, cancel: boolean, idempotencyKey: string): Promise<SubscriptionSnapshot>;
  previewSubscriptionChange(p: {
    customerId: string;
    subscriptionId: string | null;
    priceId: string;
    change: Omit<SubscriptionChange, "subscriptionId" | "priceId">;
  }): Promise<InvoicePreview>;
  /** The subscription's next invoice (amount and date), or null when it will not renew. */
  previewUpcomingInvoice(p: { customerId: string; subscriptionId: string }): Promise<{ amountCents: bigint; date: Date } | null>;
  openSubscriptionCheckout(c: {
    ui: "embedded" | "hosted";
    customerId: string;
    priceId: string;
    metadata: Record<string, string>;
    returnUrl: string;
    cancelUrl: string;
    idempotencyKey: string;
  }): Promise<{ sessionId: string; clientSecret: string | null; url: string | null }>;
  /** A Checkout Session as the return from subscription Checkout needs it; null when Stripe has no such session. */
  readSubscriptionCheckout(sessionId: string): Promise<{
    mode: string;
    status: string | null;
    customerId: string | null;
    teamId: string | null;
    subscriptionId: string | null;
  } | null>;
  openBillingPortal(p: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  setCustomerEmail(customerId: string, email: string): Promise<void>;
};
