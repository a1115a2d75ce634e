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
