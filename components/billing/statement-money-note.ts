import { formatCents } from "@/lib/billing/currency";

/**
 * What happened to a paid statement's money after it was paid, as a clause to follow its line: its charge refunded
 * (in full or in part) or disputed. The credits it repaid follow it (lib/billing/statements/statement-money.ts), so
 * the draw is owed again; "" when nothing happened.
 */
export function statementMoneyNote(s: { amountCents: bigint; refundedCents: bigint; heldCents: bigint }): string {
  const parts: string[] = [];
  if (s.refundedCents >= s.amountCents && s.refundedCents > 0n) parts.push("refunded in full");
  else if (s.refundedCents > 0n) parts.push(`${formatCents(s.refundedCents)} refunded`);
  if (s.heldCents > 0n) parts.push(`${formatCents(s.heldCents)} disputed`);
  return parts.length ? `; ${parts.join(", ")}: that part of the draw is owed again` : "";
}
