import type { LedgerEntry } from "../../db/generated/client";
import { takeCredits, type TakeCreditsInput } from "./take-credits";

/**
 * Takes back the credits of a refunded or disputed payment: drains that payment's grant first, then the team's
 * other grants; may push the balance below zero and below the credit-line floor (spending then stops until
 * credits arrive, which repay the shortfall first). Idempotent per key (use the Stripe refund or dispute id).
 * A won dispute gives the credits back with creditCredits({ kind: "DISPUTE_REVERSAL" }).
 */
export async function clawbackCredits(
  input: TakeCreditsInput & { kind: "REFUND" | "DISPUTE" },
): Promise<{ entry: LedgerEntry; drainedFromGrants: bigint | null; duplicate: boolean }> {
  return takeCredits(input);
}
