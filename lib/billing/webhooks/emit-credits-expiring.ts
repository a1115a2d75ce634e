import type { Db } from "../../db/client";
import { emitWebhookEvent, webhookMoney } from "./emit-event";

/** How far ahead credits_expiring warns. */
export const CREDITS_EXPIRING_WINDOW_MS = 7 * 86_400_000;

/**
 * credits_expiring, for the daily job: one event per grant with credits left that expires within seven days, for teams
 * that subscribe to it (dedupe key "credits_expiring:<grant id>": once per grant however often the job runs).
 */
export async function emitCreditsExpiring({ db, now = new Date(), limit = 1000 }: { db: Db; now?: Date; limit?: number }): Promise<{ emitted: number }> {
  const until = new Date(now.getTime() + CREDITS_EXPIRING_WINDOW_MS);
  const grants = await db.$queryRaw<{ id: string; team_id: string; source: string; amount: bigint; remaining: bigint; expires_at: Date }[]>`
    SELECT g.id, g.team_id, g.source::text AS source, g.amount, g.remaining, g.expires_at
      FROM credit_grants g
     WHERE g.team_id IN (SELECT DISTINCT team_id FROM webhook_endpoints WHERE status = 'ENABLED' AND 'credits_expiring' = ANY(events))
       AND g.expired_at IS NULL AND g.remaining > 0 AND g.expires_at > ${now} AND g.expires_at <= ${until}
       AND NOT EXISTS (SELECT 1 FROM webhook_events ev WHERE ev.team_id = g.team_id AND ev.dedupe_key = 'credits_expiring:' || g.id)
     ORDER BY g.expires_at
     LIMIT ${limit}`;
  let emitted = 0;
  for (const g of grants) {
    const ids = await db.$transaction((tx) =>
      emitWebhookEvent(tx, {
        teamId: g.team_id,
        type: "credits_expiring",
        data: {
          grant_id: g.id,
          source: g.source.toLowerCase(),
          amount_credits: webhookMoney(g.amount),
          remaining_credits: webhookMoney(g.remaining),
          expires_at: g.expires_at.toISOString(),
        },
        dedupeKey: `credits_expiring:${g.id}`,
        now,
      }),
    );
    if (ids.length > 0) emitted += 1;
  }
  return { emitted };
}
