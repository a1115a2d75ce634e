import { BillingError } from "../errors";

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Checks a credit amount for a ledger write: a positive bigint that fits PostgreSQL's bigint. */
export function assertPositiveCredits(amount: bigint, field = "amount"): void {
  if (typeof amount !== "bigint") throw new BillingError("VALIDATION_FAILED", `${field} must be a whole number of credits`, { field });
  if (amount <= 0n) throw new BillingError("VALIDATION_FAILED", `${field} must be greater than 0`, { field });
  if (amount > MAX_BIGINT / 4n) throw new BillingError("VALIDATION_FAILED", `${field} is too large`, { field });
}

/** Idempotency keys: 1 to 255 characters. */
export function assertIdempotencyKey(key: string, field = "idempotencyKey"): void {
  if (typeof key !== "string" || key.length < 1 || key.length > 255) {
    throw new BillingError("VALIDATION_FAILED", `${field} must be 1 to 255 characters`, { field });
  }
}
