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
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
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
  periodStart: Date;
  periodEnd: Date;
};

/** The port through which the core reads subscriptions and their invoices (lib/stripe/subscription-gateway.ts). */
export type SubscriptionGateway = {
  retrieveSubscription(id: string): Promise<SubscriptionSnapshot>;
  retrieveSubscriptionInvoice(id: string): Promise<SubscriptionInvoiceSnapshot>;
};
