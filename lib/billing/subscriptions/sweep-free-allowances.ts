import type { Db } from "../../db/client";
import { startOfUtcMonth } from "../dates";
import { freeAllowanceKey, grantFreeAllowance } from "./grant-free-allowance";

/**
 * Grants this cycle's Free allowance to up to `limit` teams on Free that have not had it yet (a team with no live
 * subscription and no entry under this month's key). Safe to run anywhere at once: each grant is idempotent per team
 * and cycle. Meant for a periodic job (e.g. beside the grant expiry job); returns how many teams it granted.
 */
export async function sweepFreeAllowances({ db, now = new Date(), limit = 500 }: { db: Db; now?: Date; limit?: number }): Promise<{ teams: number }> {
  const key = freeAllowanceKey(startOfUtcMonth(now));
  const due = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT t.id FROM teams t
      WHERE NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.team_id = t.id AND s.status IN ('ACTIVE', 'TRIALING', 'PAST_DUE'))
        AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.team_id = t.id AND l.idempotency_key = $1)
      ORDER BY t.id LIMIT $2`,
    key,
    limit,
  );
  let teams = 0;
  for (const { id } of due) {
    if ((await db.$transaction((tx) => grantFreeAllowance({ db: tx, teamId: id, now }))) > 0n) teams++;
  }
  return { teams };
}
