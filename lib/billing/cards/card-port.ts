/** The card off-session charges use, as the customer has it saved at Stripe. */
export type SavedCard = { paymentMethodId: string; brand: string; last4: string; expMonth: number; expYear: number; label: string };

/** A card setup (Checkout in setup mode) as Stripe has it now. */
export type CardSetupSnapshot = {
  mode: string;
  /** open | complete | expired */
  status: string | null;
  metadata: Record<string, string>;
  customerId: string | null;
  setupIntent: { status: string; paymentMethodId: string | null } | null;
};

/** Saved cards and adding one on Stripe's hosted page (lib/stripe/card-gateway.ts). */
export type CardGateway = {
  /** The customer's default payment method when it is a card, else the newest card saved to the customer. */
  findSavedCard(customerId: string): Promise<SavedCard | null>;
  makeDefaultCard(customerId: string, paymentMethodId: string): Promise<void>;
  openCardSetup(setup: { customerId: string; metadata: Record<string, string>; successUrl: string; cancelUrl: string }): Promise<{ url: string | null }>;
  readCardSetup(sessionId: string): Promise<CardSetupSnapshot>;
};

/** Stripe customers (lib/stripe/card-gateway.ts). */
export type CustomerGateway = {
  /** Returns the customer's id; the same idempotency key gives the same customer. */
  createCustomer(customer: { name: string; email: string | null; metadata: Record<string, string>; idempotencyKey: string }): Promise<string>;
};
