import type { Tx } from "../../db/client";
import type { LedgerEntry, Prisma } from "../../db/generated/client";
import { takeCredits } from "./take-credits";

/**
 * Takes back the credits of a refunded or disputed payment: drains that payment's grant first, then the team's
 * other grants; may push the balance below zero and below the credit-line floor (spending then stops until
 * credits arrive, which repay the shortfall first). Idempotent per key (use the Stripe refund or dispute id).
 * A won dispute gives the credits back with creditCredits({ kind: "DISPUTE_REVERSAL" }).
 */
export async function clawbackCredits(input: {
  db: Tx;
  teamId: string;
  amount: bigint;
  kind: "REFUND" | "DISPUTE";
  idempotencyKey: string;
  paymentId?: string | null;
  actorUserId?: string | null;
  referenceType?: string | null;
  referenceId?: string | null;
  description?: string | null;
  metadata?: Prisma.InputJsonValue | null;
}): Promise<{ entry: LedgerEntry; drainedFromGrants: bigint | null; duplicate: boolean }> {
  return takeCredits(input);
}
