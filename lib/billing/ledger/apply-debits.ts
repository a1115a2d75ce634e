import { sqlPool, type Tx } from "../../db/client";

export type DebitRequest = {
  /** Unique per team across all ledger entries; a repeat returns the first result. */
  idempotencyKey: string;
  /** Credits to take, >= 0. */
  amount: bigint;
  operation?: string | null;
  quantity?: bigint | null;
  apiKeyId?: string | null;
  occurredAt?: Date | null;
  metadata?: unknown;
  description?: string | null;
};

export type DebitRejectCode = "INSUFFICIENT_CREDITS" | "BUDGET_HARD_CAP_HIT" | "API_KEY_LIMIT_REACHED" | "SUBSCRIPTION_UNPAID" | "DRAW_SUSPENDED" | "NOT_FOUND";

export type DebitOutcome =
  | { status: "debited" | "duplicate"; entryId: string; amount: bigint; balanceAfter: bigint; code: null }
  | { status: "rejected"; entryId: null; amount: null; balanceAfter: null; code: DebitRejectCode };

// int8 arrives as a string from the pool, as a bigint through Prisma.
type Row = {
  r_ord: number;
  r_status: string;
  r_entry_id: string | null;
  r_amount: bigint | string | null;
  r_balance_after: bigint | string | null;
  r_code: string | null;
};

/**
 * Applies debits for one team in one statement (one transaction unless the caller has one open): lock the team,
 * decide each debit in order against the floor and blocking budget caps, insert the accepted entries, drain grants,
 * move the balance once, upsert spend counters and usage rollups, fire budget alerts. See cd_debit_batch.
 * `now` replaces the clock (tests of month boundaries and expiry).
 */
export async function applyDebits({
  db,
  teamId,
  debits,
  now,
}: {
  db: Tx;
  teamId: string;
  debits: readonly DebitRequest[];
  now?: Date;
}): Promise<DebitOutcome[]> {
  if (debits.length === 0) return [];
  const events = JSON.stringify(
    debits.map((d) => ({
      k: d.idempotencyKey,
      a: d.amount.toString(),
      op: d.operation ?? null,
      q: d.quantity == null ? null : d.quantity.toString(),
      kid: d.apiKeyId ?? null,
      at: d.occurredAt ? d.occurredAt.toISOString() : null,
      m: d.metadata ?? null,
      d: d.description ?? null,
    })),
  );
  const sql = `SELECT * FROM cd_debit_batch($1, $2::jsonb, $3::timestamptz)`;
  const pool = sqlPool(db); // outside a transaction: straight to the pool (a third of Prisma's CPU per call)
  const rows = pool ? (await pool.query<Row>(sql, [teamId, events, now ?? null])).rows : await db.$queryRawUnsafe<Row[]>(sql, teamId, events, now ?? null);
  if (rows.length !== debits.length) throw new Error(`cd_debit_batch answered ${rows.length} rows for ${debits.length} debits`);
  return rows.map((r): DebitOutcome =>
    r.r_status === "rejected"
      ? { status: "rejected", entryId: null, amount: null, balanceAfter: null, code: r.r_code as DebitRejectCode }
      : {
          status: r.r_status as "debited" | "duplicate",
          entryId: r.r_entry_id!,
          amount: BigInt(r.r_amount!),
          balanceAfter: BigInt(r.r_balance_after!),
          code: null,
        },
  );
}
