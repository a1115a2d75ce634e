import type { Db } from "../../db/client";
import { emitWebhookEvent, webhookMoney } from "./emit-event";

/**
 * balance_low, for the minute sweep: usage debits must not pay for it, so rather than check on every debit, this looks
 * once a minute at the teams that subscribe to balance_low (and only those). The line is the team's auto top-up
 * threshold when auto top-up is on, else 1 credit (nothing left to spend). One event each time the balance falls
 * below the line (webhook_balance_watches.low_since), again only after it was back at or above it.
 */
export async function watchLowBalances({ db, now = new Date(), limit = 1000 }: { db: Db; now?: Date; limit?: number }): Promise<{ emitted: number }> {
  let emitted = 0;
  const page = Math.max(1, Math.floor(limit));
  // Every subscribing team, `limit` a page in id order: an unordered LIMIT read the same teams each minute, and a team
  // past the first page never heard of its balance.
  for (let after = ""; ;) {
    const teams = await db.$queryRaw<{ team_id: string; balance: bigint; line: bigint; auto_top_up: boolean; low_since: Date | null }[]>`
      SELECT t.id AS team_id, t.balance, COALESCE(a.threshold_credits, 1::bigint) AS line, a.team_id IS NOT NULL AS auto_top_up, w.low_since
        FROM teams t
        LEFT JOIN auto_top_ups a ON a.team_id = t.id AND a.enabled
        LEFT JOIN webhook_balance_watches w ON w.team_id = t.id
       WHERE t.id IN (SELECT DISTINCT team_id FROM webhook_endpoints WHERE status = 'ENABLED' AND 'balance_low' = ANY(events))
         AND t.id > ${after}
       ORDER BY t.id
       LIMIT ${page}`;
    emitted += await watchPage(db, teams, now);
    if (teams.length < page) return { emitted };
    after = teams.at(-1)!.team_id;
  }
}

async function watchPage(
  db: Db,
  teams: { team_id: string; balance: bigint; line: bigint; auto_top_up: boolean; low_since: Date | null }[],
  now: Date,
): Promise<number> {
  let emitted = 0;
  for (const t of teams) {
    const low = t.balance < t.line;
    if (low && t.low_since === null) {
      await db.$transaction(async (tx) => {
        // Only the sweep that flips the row emits: a second instance's sweep finds low_since already set.
        const flipped = await tx.$queryRaw<{ team_id: string }[]>`
          INSERT INTO webhook_balance_watches (team_id, low_since, checked_at) VALUES (${t.team_id}, ${now}, ${now})
          ON CONFLICT (team_id) DO UPDATE SET low_since = EXCLUDED.low_since, checked_at = EXCLUDED.checked_at
           WHERE webhook_balance_watches.low_since IS NULL
          RETURNING team_id`;
        if (flipped.length === 0) return;
        await emitWebhookEvent(tx, {
          teamId: t.team_id,
          type: "balance_low",
          data: { balance_credits: webhookMoney(t.balance), line_credits: webhookMoney(t.line), auto_top_up: t.auto_top_up },
          dedupeKey: `balance_low:${now.getTime()}`,
          now,
        });
        emitted += 1;
      });
    } else if (!low && t.low_since !== null) {
      await db.webhookBalanceWatch.updateMany({ where: { teamId: t.team_id, lowSince: { not: null } }, data: { lowSince: null, checkedAt: now } });
    }
  }
  return emitted;
}
