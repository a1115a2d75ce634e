import { BillingError } from "../errors";

const CODE = /^[A-Z0-9][A-Z0-9_-]{2,31}$/;

/** Codes are case-insensitive: stored and compared upper-case, surrounding spaces ignored. */
export function normalizeCouponCode(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.trim().toUpperCase();
  return CODE.test(code) ? code : null;
}

/** A code an admin may create: 3 to 32 letters, digits, "-" or "_", starting with a letter or digit. */
export function assertCouponCode(raw: unknown): string {
  const code = normalizeCouponCode(raw);
  if (!code) throw new BillingError("VALIDATION_FAILED", "Code must be 3 to 32 letters, digits, - or _, starting with a letter or digit.", { field: "code" });
  return code;
}
