import type { Tx } from "../../db/client";
import { BillingError } from "../errors";

export type BalanceCheck = {
  ok: boolean;
  problems: string[];
  balance: bigint;
  sumOfEntries: bigint;
  entries: bigint;
  /** Entries whose balance_after is not the previous entry's plus their amount (commit order). */
  brokenChain: bigint;
  grantsRemaining: bigint;
  /** The lowest balance any usage debit left (null without usage); spending never goes below the floor at its time. */
  minUsageBalanceAfter: bigint | null;
  duplicateKeys: bigint;
};

/**
 * Recomputes a team's ledger: cached balance = sum of entries = last balance_after; each entry continues the chain;
 * grants' remaining sum = max(balance, 0); no idempotency key twice. A full scan of the team's entries: for checks
 * and tests, not for pages.
 */
export async function verifyBalance({ db, teamId }: { db: Tx; teamId: string }): Promise<BalanceCheck> {
  const team = await db.team.findUnique({ where: { id: teamId }, select: { balance: true } });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const [agg] = await db.$queryRawUnsafe<{ total: bigint | null; n: bigint; broken: bigint; last: bigint | null; min_usage: bigint | null; dup: bigint }[]>(
    `SELECT sum(amount)::bigint AS total, count(*)::bigint AS n,
            count(*) FILTER (WHERE prev + amount <> balance_after)::bigint AS broken,
            (array_agg(balance_after ORDER BY seq DESC))[1] AS last,
            min(balance_after) FILTER (WHERE kind = 'USAGE') AS min_usage,
            (count(*) - count(DISTINCT idempotency_key))::bigint AS dup
       FROM (SELECT amount, balance_after, kind, seq, idempotency_key, lag(balance_after, 1, 0::bigint) OVER (ORDER BY seq) AS prev
               FROM ledger_entries WHERE team_id = $1) e`,
    teamId,
  );
  const [g] = await db.$queryRawUnsafe<{ remaining: bigint | null }[]>(
    `SELECT sum(remaining)::bigint AS remaining FROM credit_grants WHERE team_id = $1`,
    teamId,
  );
  const sumOfEntries = BigInt(agg?.total ?? 0n);
  const grantsRemaining = BigInt(g?.remaining ?? 0n);
  const balance = team.balance;
  const problems: string[] = [];
  if (balance !== sumOfEntries) problems.push(`balance ${balance} differs from the sum of entries ${sumOfEntries}`);
  if (agg?.last != null && BigInt(agg.last) !== balance) problems.push(`balance ${balance} differs from the last entry's balance_after ${agg.last}`);
  if (BigInt(agg?.broken ?? 0n) > 0n) problems.push(`${agg?.broken} entries break the balance_after chain`);
  const expectedGrants = balance > 0n ? balance : 0n;
  if (grantsRemaining !== expectedGrants) problems.push(`grants hold ${grantsRemaining} credits, expected max(balance, 0) = ${expectedGrants}`);
  if (BigInt(agg?.dup ?? 0n) > 0n) problems.push(`${agg?.dup} idempotency keys are used twice`);
  return {
    ok: problems.length === 0,
    problems,
    balance,
    sumOfEntries,
    entries: BigInt(agg?.n ?? 0n),
    brokenChain: BigInt(agg?.broken ?? 0n),
    grantsRemaining,
    minUsageBalanceAfter: agg?.min_usage == null ? null : BigInt(agg.min_usage),
    duplicateKeys: BigInt(agg?.dup ?? 0n),
  };
}
