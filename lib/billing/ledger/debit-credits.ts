import type { Db, Tx } from "../../db/client";
import { BillingError } from "../errors";
import { debitBatcherFor } from "../usage/debit-batcher";
import { isRootClient } from "../with-tx";
import { applyDebits, type DebitOutcome, type DebitRequest } from "./apply-debits";
import { debitRejection } from "./debit-rejection";
import { assertIdempotencyKey } from "./validate";

/**
 * Takes credits for usage, never past the floor (-credit limit) or a blocking budget cap. Given the root client it
 * goes through the process's debit batcher (concurrent debits of a team share one transaction); given a transaction
 * it applies inside it. A repeated key returns the first entry (duplicate: true) and writes nothing.
 * Throws INSUFFICIENT_CREDITS or BUDGET_HARD_CAP_HIT (402).
 */
export async function debitCredits({ db, now, teamId, ...debit }: { db: Tx | Db; teamId: string; now?: Date } & DebitRequest): Promise<{
  entry: { id: string; amount: bigint; balanceAfter: bigint; idempotencyKey: string };
  duplicate: boolean;
}> {
  assertIdempotencyKey(debit.idempotencyKey);
  if (typeof debit.amount !== "bigint" || debit.amount <= 0n) throw new BillingError("VALIDATION_FAILED", "amount must be greater than 0", { field: "amount" });
  const [outcome] = isRootClient(db) && !now ? await debitBatcherFor(db).submit(teamId, [debit]) : await applyDebits({ db, teamId, debits: [debit], now });
  return toResult(outcome!, debit.idempotencyKey);
}

function toResult(outcome: DebitOutcome, idempotencyKey: string) {
  if (outcome.status === "rejected") throw debitRejection(outcome.code);
  return {
    entry: { id: outcome.entryId, amount: outcome.amount, balanceAfter: outcome.balanceAfter, idempotencyKey },
    duplicate: outcome.status === "duplicate",
  };
}
