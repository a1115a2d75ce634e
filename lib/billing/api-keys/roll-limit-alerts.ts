import type { Tx } from "../../db/client";

/**
 * Clears the 80% alerts of keys whose limit period has ended, each with a note to the owners and billing members, for
 * keys nobody used since (a debit through the key clears its own). Safe in every instance at once (SKIP LOCKED, and
 * the notes are deduplicated). Returns how many alerts cleared.
 */
export async function rollApiKeyLimitAlerts({ db, now }: { db: Tx; now?: Date }): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT cd_api_key_limit_roll($1::timestamptz) AS n`, now ?? null);
  return row?.n ?? 0;
}
