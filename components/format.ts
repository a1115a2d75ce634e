const integer = new Intl.NumberFormat("en-US");

export const formatCredits = (credits: bigint | number) => integer.format(credits);

/** Cents as dollars without floats: "$1,234.56", "-$5.00". */
export function formatCents(cents: bigint): string {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? "-" : ""}$${integer.format(abs / 100n)}.${String(abs % 100n).padStart(2, "0")}`;
}

/** Cents as the plain dollar text an amount field holds and the API parses: 1250n → "12.50". */
export function centsToDollarText(cents: bigint): string {
  return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

export const formatDateTime = (d: Date | string) =>
  new Date(d).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
