import type { Tx } from "../../db/client";
import { type ApiKeySummary, apiKeySummarySelect } from "./api-key-summary";

/** A team's API keys, newest first, without their hashes; revoked keys are listed after active ones. */
export async function listApiKeys({ db, teamId }: { db: Tx; teamId: string }): Promise<ApiKeySummary[]> {
  const keys = await db.apiKey.findMany({ where: { teamId }, orderBy: { createdAt: "desc" }, select: apiKeySummarySelect });
  return [...keys.filter((k) => !k.revokedAt), ...keys.filter((k) => k.revokedAt)];
}
