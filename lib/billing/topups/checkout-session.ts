import type { PaymentMethod } from "../config";

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

export type CheckoutUi = "embedded" | "hosted";

/** A Checkout page for one top-up payment, as the core decides it; the gateway turns it into Stripe's parameters. */
export type TopUpCheckoutRequest = {
  ui: CheckoutUi;
  amountCents: bigint;
  currency: string;
  method: PaymentMethod;
  productName: string;
  productDescription: string;
  clientReferenceId: string;
  metadata: Record<string, string>;
  paymentIntentMetadata: Record<string, string>;
  paymentIntentDescription: string;
  /** The team's Stripe customer; without one Stripe makes a customer (with this email, when known). */
  customerId: string | null;
  customerEmail: string | null;
  expiresAt: Date;
  /** Where Stripe sends the person after paying (embedded and hosted). */
  returnUrl: string;
  /** Where the hosted page's back link goes. */
  cancelUrl: string;
  idempotencyKey: string;
};

/** What the browser needs to show a Checkout page: Stripe.js's client secret (embedded) or the hosted page's URL. */
export type CheckoutPage = { sessionId: string; open: boolean; ui: CheckoutUi; clientSecret: string | null; url: string | null };

/** Opening and closing top-up Checkout pages (lib/stripe/checkout-gateway.ts). */
export type TopUpCheckoutGateway = {
  openTopUpCheckout(request: TopUpCheckoutRequest): Promise<CheckoutPage>;
  readCheckoutPage(sessionId: string): Promise<CheckoutPage>;
  /** Expires an open session so it can no longer be paid; false when it was no longer open (completed or expired). */
  expireCheckoutSession(sessionId: string): Promise<boolean>;
};
