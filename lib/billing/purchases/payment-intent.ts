/**
 * The facts about a PaymentIntent that settling a purchase decides on, read fresh from Stripe by the gateway
 * (lib/stripe) and never taken from a webhook body or the browser.
 */
export type PaymentIntentSnapshot = {
  id: string;
  /** requires_payment_method | requires_confirmation | requires_action | processing | succeeded | canceled */
  status: string;
  amount: number;
  currency: string;
  customerId: string | null;
  metadata: Record<string, string>;
  latestChargeId: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
};

/** An off-session charge of a saved card, as the core decides it: amount, what it says, our ids and the retry key. */
export type OffSessionCharge = {
  amountCents: bigint;
  currency: string;
  customerId: string;
  paymentMethodId: string;
  description: string;
  metadata: Record<string, string>;
  /** One PaymentIntent per key: a retry never charges twice. */
  idempotencyKey: string;
};

/** PaymentIntents, as Buy Credit and auto top-up use them (lib/stripe/payment-intent-gateway.ts). */
export type PaymentIntentGateway = {
  retrievePaymentIntent(id: string): Promise<PaymentIntentSnapshot>;
  /** A declined card or one that needs authentication is not an exception: it comes back as the intent's state. */
  chargeOffSession(charge: OffSessionCharge): Promise<PaymentIntentSnapshot>;
  /** Confirms again with the person present; redirectUrl is the bank's authentication page when it needs one. */
  confirmOnSession(
    id: string,
    confirm: { paymentMethodId: string; returnUrl: string; idempotencyKey: string },
  ): Promise<{ status: string; redirectUrl: string | null }>;
  cancelPaymentIntent(id: string): Promise<void>;
};
