import { formatCredits } from "@/lib/billing/currency";

// The one money formatter lives in lib/billing/currency.ts (client-safe); these are the browser's other formats.
export { formatCents, formatCount, formatCredits } from "@/lib/billing/currency";

/** Where a payment's credits came from, when a code added any: "4,800,000 bought + 480,000 bonus + 100,000 from the code". */
export function creditBreakdownText(c: { bought: bigint | string; bonus: bigint | string; coupon: bigint | string }): string | null {
  const [bought, bonus, coupon] = [BigInt(c.bought), BigInt(c.bonus), BigInt(c.coupon)];
  if (bonus === 0n && coupon === 0n) return null;
  const parts = [`${formatCredits(bought)} bought`];
  if (bonus !== 0n) parts.push(`${formatCredits(bonus)} bonus`);
  if (coupon !== 0n) parts.push(`${formatCredits(coupon)} from the code`);
  return parts.join(" + ");
}

/** Cents as the plain dollar text an amount field holds and the API parses: 1250n → "12.50". */
export function centsToDollarText(cents: bigint): string {
  return `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
}

export const formatDateTime = (d: Date | string) => new Date(d).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

/** A calendar day in UTC, as periods and renewals are dated: "Dec 31, 2026". */
export const formatDay = (d: Date | string) => new Date(d).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
