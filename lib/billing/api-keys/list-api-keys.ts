import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { type ApiKeySummary, apiKeySummarySelect } from "./api-key-summary";

/** A team's API keys, newest first, without their hashes; revoked keys are listed after active ones. */
export async function listApiKeys({ db, teamId }: { db: Tx; teamId: string }): Promise<ApiKeySummary[]> {
  const keys = await db.apiKey.findMany({ where: { teamId }, orderBy: { createdAt: "desc" }, select: apiKeySummarySelect });
  return [...keys.filter((k) => !k.revokedAt), ...keys.filter((k) => k.revokedAt)];
}

/** A key as the API keys page lists it. */
export type ApiKeyView = Pick<ApiKeySummary, "id" | "name" | "prefix" | "role" | "createdAt" | "lastUsedAt" | "revokedAt">;

/** The actor's team's API keys (listApiKeys), for the page and the route alike: only with apikeys:manage. */
export async function readApiKeys({ db, actor }: { db: Tx; actor: Actor }): Promise<ApiKeyView[]> {
  requirePermission(actor, "apikeys:manage");
  const keys = await listApiKeys({ db, teamId: actor.teamId });
  return keys.map(({ id, name, prefix, role, createdAt, lastUsedAt, revokedAt }) => ({ id, name, prefix, role, createdAt, lastUsedAt, revokedAt }));
}
