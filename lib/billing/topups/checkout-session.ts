/**
 * The facts about a Checkout Session that fulfilment decides on, read fresh from Stripe by the gateway
 * (lib/stripe) and never taken from a webhook body or the browser.
 */
export type CheckoutSessionSnapshot = {
  id: string;
  mode: string;
  /** open | complete | expired */
  status: string | null;
  /** paid | unpaid | no_payment_required */
  paymentStatus: string;
  amountTotal: number | null;
  currency: string | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  customerId: string | null;
  paymentIntent: {
    id: string;
    /** requires_payment_method | processing | succeeded | canceled ... */
    status: string;
    latestChargeId: string | null;
    lastErrorMessage: string | null;
  } | null;
  /** The payment method type actually used, when known (card, paypal ...). */
  methodType: string | null;
};

export type CheckoutGateway = {
  retrieveCheckoutSession(sessionId: string): Promise<CheckoutSessionSnapshot>;
};
