import { billingConfig } from "./config";
import { BillingError } from "./errors";
import { MONEY_LEDGER_KINDS } from "./words";

// Integer money: cents (the currency's minor unit) and credits are bigint; no float ever carries an amount.

/** Credits for an amount in cents at the configured rate (credits per dollar), rounded down. */
export function centsToCredits(cents: bigint, creditsPerDollar: bigint = billingConfig().creditsPerDollar): bigint {
  return (cents * creditsPerDollar) / 100n;
}

/** Cents worth of credits at the rate, rounded half up (display and reports; never used to decide a debit). */
export function creditsToCents(credits: bigint, creditsPerDollar: bigint = billingConfig().creditsPerDollar): bigint {
  const negative = credits < 0n;
  const abs = negative ? -credits : credits;
  const cents = (abs * 100n * 2n + creditsPerDollar) / (creditsPerDollar * 2n);
  return negative ? -cents : cents;
}

/**
 * What a ledger entry's credits are worth in cents at the configured rate, for entries that stand for money (top-ups,
 * purchases, refunds, disputes, statements); null for usage, grants and the like, where a dollar figure would mislead.
 */
export function entryCents(e: { kind: string; amount: bigint }, creditsPerDollar: bigint = billingConfig().creditsPerDollar): bigint | null {
  return (MONEY_LEDGER_KINDS as readonly string[]).includes(e.kind) ? creditsToCents(e.amount, creditsPerDollar) : null;
}

const USD = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/**
 * "500", "500.5", "500.00" or the JSON number 500.5 → cents. Refuses more than two decimals, exponents, signs
 * and amounts of a trillion dollars or more. A JSON number is read through its shortest decimal form, which is
 * exactly what the sender wrote for any amount with at most two decimals.
 */
export function parseUsdToCents(input: string | number, field = "amount"): bigint {
  const text = typeof input === "number" ? (Number.isFinite(input) ? String(input) : "") : input.trim();
  const m = USD.exec(text);
  if (!m) {
    throw new BillingError("VALIDATION_FAILED", `${field} must be a dollar amount with at most two decimals, like 500 or 500.25`, { field });
  }
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}

/** Cents as a JSON number of dollars (84.5 for 8450): the nearest double to the exact decimal, for API shapes. */
export function centsToUsd(cents: bigint): number {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return Number(`${negative ? "-" : ""}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`);
}

/** Digits kept after the point by creditsToUsd when credits / rate does not end sooner (it ends within 7 at 80,000). */
const USD_FRACTION_DIGITS = 12n;

/**
 * Credits as a JSON number of dollars at the rate (-15.5 for -1,240,000 at 80,000 per dollar). The exact quotient is
 * written out as a decimal from integers (rounded half away from zero past 12 digits) and read once: the nearest
 * double to the exact value, with no float arithmetic on the way.
 */
export function creditsToUsd(credits: bigint, creditsPerDollar: bigint = billingConfig().creditsPerDollar): number {
  const negative = credits < 0n;
  const abs = negative ? -credits : credits;
  const scale = 10n ** USD_FRACTION_DIGITS;
  const scaled = (abs * scale * 2n + creditsPerDollar) / (creditsPerDollar * 2n);
  const fraction = String(scaled % scale)
    .padStart(Number(USD_FRACTION_DIGITS), "0")
    .replace(/0+$/, "");
  return Number(`${negative ? "-" : ""}${scaled / scale}${fraction ? `.${fraction}` : ""}`);
}

export { formatCents, formatCount, formatCredits } from "./currency";
