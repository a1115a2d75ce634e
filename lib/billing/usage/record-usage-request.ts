import type { Db } from "../../db/client";
import type { Actor } from "../../auth/permissions";
import type { AutoTopUpGateway } from "../auto-top-up/run-auto-top-up";
import { afterDebits } from "../auto-top-up/trigger-auto-top-up";
import { recordUsage, type UsageEvent, type UsageEventResult } from "./record-usage";

export type { UsageEventResult };

export type UsageRequestOutcome = {
  results: UsageEventResult[];
  debited: number;
  duplicates: number;
  rejected: number;
  creditsDebited: bigint;
  /** The first rejection, when every event was rejected (the request as a whole is then refused: 402). */
  refusal: { code: string; message: string } | null;
};

/**
 * One usage request (POST /api/v1/usage): its events charged in order, the tally, and the auto top-up check once
 * the debits have committed. A single event (`single`) names its fields without the events[i] prefix.
 */
export async function recordUsageRequest({
  db,
  actor,
  events,
  single,
  gateway,
}: {
  db: Db;
  actor: Actor;
  /** The payment provider auto top-up charges through, or null when payments are not set up here. */
  gateway: AutoTopUpGateway | null;
  events: readonly UsageEvent[];
  single: boolean;
}): Promise<UsageRequestOutcome> {
  const results = await recordUsage({
    db,
    teamId: actor.teamId,
    apiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
    fieldPrefix: single ? "" : "events",
    events,
  });
  let debited = 0;
  let duplicates = 0;
  let credits = 0n;
  let lowest: bigint | null = null;
  for (const r of results) {
    if (r.status === "debited") {
      debited++;
      credits += r.credits ?? 0n;
      if (lowest === null || r.balanceAfter! < lowest) lowest = r.balanceAfter;
    } else if (r.status === "duplicate") duplicates++;
  }
  // The debits have committed: auto top-up checks (and charges) off this request's path. A refusal for lack of
  // credits also asks (the claim reads the real balance), so a team that ran dry is topped up.
  const dry = results.some((r) => r.error?.code === "INSUFFICIENT_CREDITS");
  // A test key never starts a charge (issue 13): its usage spends the balance but leaves auto top-up alone.
  if (!(actor.kind === "apiKey" && actor.test)) void afterDebits({ db, gateway, teamId: actor.teamId, lowestBalance: lowest ?? (dry ? -1n : null) });
  const rejected = results.length - debited - duplicates;
  const firstError = results.find((r) => r.error)?.error ?? null;
  return { results, debited, duplicates, rejected, creditsDebited: credits, refusal: rejected === results.length ? firstError : null };
}
