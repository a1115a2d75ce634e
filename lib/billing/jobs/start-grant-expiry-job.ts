import type { Db } from "../../db/client";
import { rollApiKeyLimitAlerts } from "../api-keys/roll-limit-alerts";
import { expireGrants } from "../ledger/expire-grants";
import { runPeriodically } from "./run-periodically";

/**
 * Runs the grant expiry job every `everyMs` in this process (the app starts it once at boot). Safe to run in every
 * instance at once: each team is expired under its row lock and a second run finds nothing left. Debits expire a team's
 * due grants themselves, so the job only makes expiry entries appear on time for teams that are not spending. It also
 * clears API keys' spending-limit alerts whose period ended (rollApiKeyLimitAlerts), for keys nobody is using.
 */
export function startGrantExpiryJob({
  db,
  everyMs = 60_000,
  onError = (e: unknown) => console.error("[creditdesk] grant expiry failed:", e),
}: {
  db: Db;
  everyMs?: number;
  onError?: (e: unknown) => void;
}): { stop: () => Promise<void> } {
  return runPeriodically({
    everyMs,
    onError,
    // Drain the backlog in pages of teams, then wait for the next tick.
    work: async () => {
      for (let page = 0; page < 20; page++) if ((await expireGrants({ db, limit: 500 })).teams < 500) break;
      await rollApiKeyLimitAlerts({ db });
    },
  });
}
