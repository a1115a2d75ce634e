import type { Db } from "../../db/client";
import { type AutoTopUpGateway, runAutoTopUp, STALE_IN_FLIGHT_MS } from "./run-auto-top-up";

/**
 * The safety net behind the after-debit trigger, for a scheduled job (every minute or so): finds teams whose auto
 * top-up is due (enabled, balance below the threshold, nothing in flight) or whose charge has been in flight too long
 * (its process died), and runs each once. Safe alongside the trigger and other instances: claimAutoTopUp lets one win,
 * and a stale charge is finished with its original Stripe idempotency key. A team whose last entry is usage through a
 * test key is left alone: a test key never starts a charge (the next live usage, or any other entry, makes it due again).
 */
export async function sweepAutoTopUps({
  db,
  gateway,
  now = new Date(),
  limit = 100,
}: {
  db: Db;
  gateway: AutoTopUpGateway;
  now?: Date;
  limit?: number;
}): Promise<{ teams: number; charged: number }> {
  const stale = new Date(now.getTime() - STALE_IN_FLIGHT_MS);
  const due = await db.$queryRaw<{ team_id: string }[]>`
    SELECT a.team_id FROM auto_top_ups a JOIN teams t ON t.id = a.team_id
     WHERE a.enabled AND ((a.in_flight_payment_id IS NULL AND t.balance < a.threshold_credits
                           AND NOT COALESCE((SELECT le.test FROM ledger_entries le WHERE le.team_id = t.id ORDER BY le.team_seq DESC LIMIT 1), false))
                          OR (a.in_flight_payment_id IS NOT NULL AND a.last_triggered_at < ${stale}))
     LIMIT ${limit}`;
  let charged = 0;
  for (const { team_id } of due) {
    try {
      const r = await runAutoTopUp({ db, gateway, teamId: team_id, now });
      if (r.outcome === "credited") charged += 1;
    } catch (e) {
      console.error(`[creditdesk] auto top-up sweep for team ${team_id} failed:`, e);
    }
  }
  return { teams: due.length, charged };
}
