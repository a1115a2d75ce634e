// The one error type of the billing core. Edges map `code` to an HTTP status and a message a person can act on.
export const errorStatus = {
  VALIDATION_FAILED: 400,
  INVALID_PLAN: 400,
  COUPON_INVALID: 400,
  RETURN_URL_NOT_ALLOWED: 400,
  WEBHOOK_URL_INVALID: 400,
  WEBHOOK_URL_BLOCKED: 400,
  WEBHOOK_URL_UNRESOLVABLE: 400,
  UNAUTHENTICATED: 401,
  INSUFFICIENT_CREDITS: 402,
  BUDGET_HARD_CAP_HIT: 402,
  API_KEY_LIMIT_REACHED: 402,
  SUBSCRIPTION_UNPAID: 402,
  DRAW_SUSPENDED: 402,
  NO_PAYMENT_METHOD: 402,
  PAYMENT_FAILED: 402,
  FORBIDDEN: 403,
  TEST_KEY_NOT_ALLOWED: 403,
  ACCOUNT_PENDING: 403,
  ACCOUNT_REJECTED: 403,
  BILLING_PORTAL_DISABLED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  IDEMPOTENCY_MISMATCH: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  STRIPE_UNAVAILABLE: 502,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type BillingErrorCode = keyof typeof errorStatus;

export class BillingError extends Error {
  constructor(
    readonly code: BillingErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "BillingError";
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const isBillingError = (e: unknown): e is BillingError => e instanceof BillingError;

/** Prisma's unique-constraint violation, from the client or from the pg driver adapter. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; cause?: { code?: string }; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return err?.code === "P2002" || err?.code === "23505" || err?.cause?.code === "23505";
}
