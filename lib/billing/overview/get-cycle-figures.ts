import type { Tx } from "../../db/client";
import type { LedgerKind } from "../../db/generated/enums";
import { BillingError } from "../errors";

export type CycleFigures = {
  cycleStart: Date;
  /** Balance carried into the cycle: balance_after of the last entry before it (0 for a new team). */
  opening: bigint;
  /** Credits added in the cycle, by where they came from. */
  plan: bigint;
  purchased: bigint;
  granted: bigint;
  /** Credits taken out in the cycle other than by usage (expiry, refunds, disputes, corrections), as a positive number. */
  removed: bigint;
  /** opening + plan + purchased + granted - removed: every credit the cycle had to spend. */
  total: bigint;
  /** Credits spent by usage in the cycle. */
  used: bigint;
  /** The balance now (total - used); negative while a credit line is drawn. */
  remaining: bigint;
  creditLimit: bigint;
};

const PLAN: LedgerKind[] = ["PLAN_GRANT"];
const PURCHASED: LedgerKind[] = ["TOPUP", "PURCHASE", "AUTO_TOPUP"];
const OTHER: LedgerKind[] = [
  "TRIAL_GRANT",
  "COUPON",
  "PROMO_BONUS",
  "DISPUTE_REVERSAL",
  "REFUND_REVERSAL",
  "ADJUSTMENT",
  "CREDIT_LINE_STATEMENT",
  "REFUND",
  "DISPUTE",
  "EXPIRY",
];

type Row = { balance: bigint; credit_limit: bigint; opening: bigint | null; kind: LedgerKind | null; added: bigint | null; removed: bigint | null };

/**
 * Total / Used / Remaining for the cycle starting at `cycleStart`, in one statement (one snapshot). Cost does not grow
 * with history: the opening balance is one backward step on (team_id, created_at); the cycle's non-usage entries
 * (top-ups, grants, expiry: few) come from (team_id, kind, created_at); Used is what the ledger identity leaves,
 * opening + non-usage movements - balance, so the cycle's usage entries are never read.
 */
export async function getCycleFigures({ db, teamId, cycleStart }: { db: Tx; teamId: string; cycleStart: Date }): Promise<CycleFigures> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `WITH t AS (SELECT balance, credit_limit_credits FROM teams WHERE id = $1),
          o AS (SELECT balance_after FROM ledger_entries WHERE team_id = $1 AND created_at < $2 ORDER BY created_at DESC, seq DESC LIMIT 1),
          m AS (SELECT kind, sum(amount) FILTER (WHERE amount > 0)::bigint AS added, (-sum(amount) FILTER (WHERE amount < 0))::bigint AS removed
                  FROM ledger_entries WHERE team_id = $1 AND kind = ANY($3::"LedgerKind"[]) AND created_at >= $2 GROUP BY kind)
     SELECT t.balance, t.credit_limit_credits AS credit_limit, (SELECT balance_after FROM o) AS opening, m.kind, m.added, m.removed
       FROM t LEFT JOIN m ON true`,
    teamId,
    cycleStart,
    [...PLAN, ...PURCHASED, ...OTHER],
  );
  const first = rows[0];
  if (!first) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const f = { plan: 0n, purchased: 0n, granted: 0n, removed: 0n };
  for (const r of rows) {
    if (!r.kind) continue;
    const added = BigInt(r.added ?? 0n);
    f.removed += BigInt(r.removed ?? 0n);
    if (PLAN.includes(r.kind)) f.plan += added;
    else if (PURCHASED.includes(r.kind)) f.purchased += added;
    else f.granted += added;
  }
  const opening = BigInt(first.opening ?? 0n);
  const balance = BigInt(first.balance);
  const total = opening + f.plan + f.purchased + f.granted - f.removed;
  return { cycleStart, opening, ...f, total, used: total - balance, remaining: balance, creditLimit: BigInt(first.credit_limit) };
}
