// Currency facts: Stripe amounts are integers in the currency's smallest unit.

const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

export function minorUnitDigits(currency: string): number {
  const c = currency.toLowerCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

export function formatMoney(amount: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const major = amount / 10 ** digits;
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major);
  } catch {
    return `${major.toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

// Minimum charge amounts Stripe enforces (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts); others unchecked.
const MINIMUM: Record<string, number> = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, jpy: 50, chf: 50, sgd: 50, hkd: 400, krw: 100 };

export function minimumCharge(currency: string): number | undefined {
  return MINIMUM[currency.toLowerCase()];
}

export function isCurrency(value: string): boolean {
  return /^[a-z]{3}$/.test(value);
}
