import type { Db } from "../../db/client";
import { type AutoTopUpGateway, runAutoTopUp } from "./run-auto-top-up";

/** How long a process trusts its copy of a team's auto top-up threshold (a change reaches every process within it). */
const SETTINGS_TTL_MS = 5_000;

type Cached = { at: number; threshold: bigint | null };
const g = globalThis as unknown as { creditdeskAutoTopUp?: { settings: Map<string, Cached>; running: Map<string, Promise<unknown>> } };
const state = (g.creditdeskAutoTopUp ??= { settings: new Map(), running: new Map() });

/** Forget a team's cached threshold (after its settings change in this process). */
export function forgetAutoTopUpSettings(teamId: string): void {
  state.settings.delete(teamId);
}

async function thresholdOf(db: Db, teamId: string): Promise<bigint | null> {
  const hit = state.settings.get(teamId);
  if (hit && Date.now() - hit.at < SETTINGS_TTL_MS) return hit.threshold;
  const row = await db.autoTopUp.findUnique({ where: { teamId }, select: { enabled: true, thresholdCredits: true } });
  const threshold = row?.enabled ? row.thresholdCredits : null;
  state.settings.set(teamId, { at: Date.now(), threshold });
  return threshold;
}

/**
 * Called after a debit batch has committed, with the lowest balance it left. Returns at once: the check (a cached
 * threshold, so most debits cost no query) and any charge run afterwards, off the debit's path. Within a process one
 * run per team at a time; across processes claimAutoTopUp lets exactly one charge win. Returns the run for tests.
 * Without a gateway (payments are not set up on this installation) there is nothing to charge.
 */
export function afterDebits({
  db,
  gateway,
  teamId,
  lowestBalance,
}: {
  db: Db;
  gateway: AutoTopUpGateway | null;
  teamId: string;
  lowestBalance: bigint | null;
}): Promise<unknown> {
  if (lowestBalance === null || !gateway) return Promise.resolve();
  const running = state.running.get(teamId);
  if (running) return running;
  const run = (async () => {
    const threshold = await thresholdOf(db, teamId);
    if (threshold === null || lowestBalance >= threshold) return;
    await runAutoTopUp({ db, gateway, teamId });
  })()
    .catch((e: unknown) => console.error(`[creditdesk] auto top-up for team ${teamId} failed:`, e))
    .finally(() => state.running.delete(teamId));
  state.running.set(teamId, run);
  return run;
}
