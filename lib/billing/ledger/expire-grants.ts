import type { Tx } from "../../db/client";

/**
 * The expiry job: for each team with grants past their expiry, locks the team and writes one EXPIRY entry per grant
 * with credits left (idempotency key "expiry:<grant id>"), in its own short transaction per team when given the
 * client. Debits also expire a team's due grants before deciding, so a late job never lets expired credits be spent.
 */
export async function expireGrants({
  db,
  now,
  teamId,
  limit = 500,
}: {
  db: Tx;
  now?: Date;
  teamId?: string;
  limit?: number;
}): Promise<{ teams: number; entries: number }> {
  const teams = teamId
    ? [teamId]
    : (
        await db.$queryRawUnsafe<{ team_id: string }[]>(
          `SELECT DISTINCT team_id FROM credit_grants WHERE expired_at IS NULL AND expires_at <= COALESCE($1::timestamptz, clock_timestamp()) LIMIT $2`,
          now ?? null,
          limit,
        )
      ).map((r) => r.team_id);
  let entries = 0;
  for (const id of teams) {
    const rows = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT cd_expire_grants($1, $2::timestamptz) AS n`, id, now ?? null);
    entries += Number(rows[0]?.n ?? 0);
  }
  return { teams: teams.length, entries };
}
