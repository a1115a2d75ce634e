/** A refund of one payment as the core asks for it: which charge, how much, why, our ids and the retry key. */
export type RefundRequest = {
  paymentIntentId: string | null;
  chargeId: string | null;
  amountCents: bigint;
  /** Kept in the refund's metadata (Stripe's own reason is a short list; ours is the admin's words). */
  reason: string;
  metadata: Record<string, string>;
  /** One refund per key: a retry or a double submit never refunds twice. */
  idempotencyKey: string;
};

export type RefundSnapshot = { id: string; amountCents: bigint; currency: string; status: string };

/** Refunds at the payment provider (lib/stripe/refund-gateway.ts). Credits follow from the refund's webhooks, not from here. */
export type RefundGateway = {
  /**
   * CONFLICT when the provider says the amount is more than is left to refund, or the charge cannot be refunded
   * (disputed, already refunded); STRIPE_UNAVAILABLE when it cannot be reached.
   */
  refundPayment(refund: RefundRequest): Promise<RefundSnapshot>;
};
