import type { LedgerEntry } from "../../db/generated/client";
import type { LedgerKind } from "../../db/generated/enums";
import { BillingError } from "../errors";
import type { LedgerWriteInput } from "./ledger-write-input";
import { assertIdempotencyKey, assertPositiveCredits } from "./validate";

export type TakeCreditsInput = LedgerWriteInput & { kind: Extract<LedgerKind, "REFUND" | "DISPUTE" | "ADJUSTMENT"> };

/**
 * Removes credits regardless of the floor (refunds, disputes, corrections): drains the payment's grant first, then
 * the others in drain order; what the grants cannot cover takes the balance below zero, and spending then stops.
 * Shared by clawbackCredits and adjustCredits.
 */
export async function takeCredits(input: TakeCreditsInput): Promise<{ entry: LedgerEntry; drainedFromGrants: bigint | null; duplicate: boolean }> {
  const { db, teamId, amount, kind, idempotencyKey } = input;
  assertPositiveCredits(amount);
  assertIdempotencyKey(idempotencyKey);
  const rows = await db.$queryRawUnsafe<{ r_entry_id: string; r_duplicate: boolean; r_drained: bigint | null }[]>(
    `SELECT * FROM cd_take($1, $2::"LedgerKind", $3::bigint, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::timestamptz)`,
    teamId,
    kind,
    amount,
    idempotencyKey,
    input.paymentId ?? null,
    input.actorUserId ?? null,
    input.referenceType ?? null,
    input.referenceId ?? null,
    input.description ?? null,
    input.metadata == null ? null : JSON.stringify(input.metadata),
    input.occurredAt ?? null,
  );
  const row = rows[0];
  if (!row) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const entry = await db.ledgerEntry.findUniqueOrThrow({ where: { id: row.r_entry_id } });
  if (row.r_duplicate && (entry.amount !== -amount || entry.kind !== kind)) {
    throw new BillingError(
      "IDEMPOTENCY_MISMATCH",
      `Idempotency key ${idempotencyKey} was already used for a different ledger entry (${entry.kind} ${entry.amount}).`,
    );
  }
  return { entry, drainedFromGrants: row.r_drained, duplicate: row.r_duplicate };
}
