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
