import type { Db } from "../../db/client";
import { sweepFreeAllowances } from "../subscriptions/sweep-free-allowances";

/**
 * Runs the Free allowance sweep every `everyMs` in this process (the app starts it once at boot, beside the grant
 * expiry job), so every team on Free gets its monthly credits early in each cycle without having to spend first. Safe
 * in every instance at once and on every restart: each grant is idempotent per team and cycle (plan:free:<cycle>).
 */
export function startFreeAllowanceJob({
  db,
  everyMs = 5 * 60_000,
  now = () => new Date(),
  onError = (e: unknown) => console.error("[creditdesk] Free allowance sweep failed:", e),
}: {
  db: Db;
  everyMs?: number;
  now?: () => Date;
  onError?: (e: unknown) => void;
}): { stop: () => Promise<void> } {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = (async () => {
      // Drain the backlog in pages of teams (a bounded number per tick), then wait for the next tick.
      for (let page = 0; page < 20; page++) if ((await sweepFreeAllowances({ db, now: now(), limit: 500 })).teams < 500) break;
    })()
      .catch(onError)
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
