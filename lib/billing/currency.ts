// Money as people read it, in the amount's own currency. No imports: the browser's format helpers use it too.

const formats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string): Intl.NumberFormat {
  const code = currency.toUpperCase();
  let f = formats.get(code);
  if (!f) {
    f = new Intl.NumberFormat("en-US", { style: "currency", currency: code });
    formats.set(code, f);
  }
  return f;
}

/** How many minor-unit digits the currency has (2 for USD and EUR, 0 for JPY and KRW). */
export function currencyMinorDigits(currency: string): number {
  return currencyFormat(currency).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * An integer amount in the currency's minor unit as text: "$1,234.56", "€0.05", "¥123,456", "-$5.00". The decimal is
 * built from the integer and handed to Intl as a string, which it formats exactly: no float ever holds the amount.
 */
export function formatMinorUnits(amount: bigint, currency = "usd"): string {
  const f = currencyFormat(currency);
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(digits);
  const decimal = digits === 0 ? abs.toString() : `${abs / scale}.${(abs % scale).toString().padStart(digits, "0")}`;
  return f.format(`${negative ? "-" : ""}${decimal}` as Intl.StringNumericLiteral);
}

/** Minor units in their currency: the one money formatter of the app, server and browser ("$1,234.56"). */
export const formatCents = (cents: bigint, currency = "usd"): string => formatMinorUnits(cents, currency);

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** Credits with thousands separators, exact for any bigint: "8,000,000", "-1,250". */
export function formatCredits(credits: bigint | number): string {
  const s = typeof credits === "bigint" ? credits.toString() : String(Math.trunc(credits));
  return s.startsWith("-") ? `-${group(s.slice(1))}` : group(s);
}

/** Any whole count as people read it (days, calls, members): "1,579". */
export const formatCount = (n: bigint | number): string => formatCredits(n);
