const integer = new Intl.NumberFormat("en-US");
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export const formatCredits = (credits: bigint | number) => integer.format(credits);
/** Cents are integers; the division happens only for display. */
export const formatCents = (cents: bigint | number) => usd.format(Number(cents) / 100);
export const formatDateTime = (d: Date | string) =>
  new Date(d).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
