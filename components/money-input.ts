import { withoutDigitGroups } from "@/lib/billing/amount-text";
import { formatCents } from "./format";

// Dollar input as people type it, parsed to integer cents in the browser; the server checks the same rules again.

const AMOUNT = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Dollars as typed ("1,250.5") → integer cents, or null when it is not an amount with at most two decimals. */
export function dollarsToCents(text: string): bigint | null {
  const m = AMOUNT.exec(withoutDigitGroups(text.trim()));
  return m ? BigInt(m[1]!) * 100n + BigInt((m[2] ?? "").padEnd(2, "0")) : null;
}

/** Dollars as typed → integer cents, or a message; the server checks the same rules again. */
export function parseDollarInput(text: string, opts: { min: bigint; max: bigint; noun: string; example: string }): { cents: bigint } | { error: string } {
  const cents = dollarsToCents(text);
  if (cents === null) return { error: `Enter an amount in dollars with at most two decimals, like ${opts.example} or ${opts.example}.50.` };
  if (cents < opts.min) return { error: `The minimum ${opts.noun} is ${formatCents(opts.min)}.` };
  if (cents > opts.max) return { error: `The maximum ${opts.noun} is ${formatCents(opts.max)}.` };
  return { cents };
}
