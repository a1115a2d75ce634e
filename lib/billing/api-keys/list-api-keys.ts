import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { ApiKeyLimitPeriod } from "../../db/generated/enums";
import { type ApiKeySummary, apiKeySummarySelect } from "./api-key-summary";
import { apiKeyLimitPeriod } from "./limit-period";

/** A team's API keys, newest first, without their hashes; revoked keys are listed after active ones. */
export async function listApiKeys({ db, teamId }: { db: Tx; teamId: string }): Promise<ApiKeySummary[]> {
  const keys = await db.apiKey.findMany({ where: { teamId }, orderBy: { createdAt: "desc" }, select: apiKeySummarySelect });
  return [...keys.filter((k) => !k.revokedAt), ...keys.filter((k) => k.revokedAt)];
}

/** A key's spending limit with what was spent through it in the current period (which ends at periodEnd). */
export type ApiKeyLimitView = { credits: bigint; period: ApiKeyLimitPeriod; spent: bigint; periodStart: Date; periodEnd: Date };

/** A key as the API keys page lists it. */
export type ApiKeyView = Pick<ApiKeySummary, "id" | "name" | "prefix" | "role" | "test" | "createdAt" | "lastUsedAt" | "revokedAt"> & {
  limit: ApiKeyLimitView | null;
};

/** The limit of a key as of `now`: the kept spend counts only for the period it was kept for. */
export function apiKeyLimitView(k: Pick<ApiKeySummary, "limitCredits" | "limitPeriod" | "limitPeriodStart" | "limitSpent">, now: Date): ApiKeyLimitView | null {
  if (k.limitCredits === null || k.limitPeriod === null) return null;
  const { start, end } = apiKeyLimitPeriod(k.limitPeriod, now);
  const spent = k.limitPeriodStart?.getTime() === start.getTime() ? k.limitSpent : 0n;
  return { credits: k.limitCredits, period: k.limitPeriod, spent, periodStart: start, periodEnd: end };
}

/** The actor's team's API keys (listApiKeys), for the page and the route alike: only with apikeys:manage. */
export async function readApiKeys({ db, actor, now = new Date() }: { db: Tx; actor: Actor; now?: Date }): Promise<ApiKeyView[]> {
  requirePermission(actor, "apikeys:manage");
  const keys = await listApiKeys({ db, teamId: actor.teamId });
  return keys.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    test: k.test,
    createdAt: k.createdAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
    limit: apiKeyLimitView(k, now),
  }));
}
