import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { forgetApiKey } from "./check-api-key";
import { type ApiKeySummary, apiKeySummarySelect } from "./api-key-summary";

/**
 * Revokes a key of the team: the next request with it gets 401 on this instance, and on every other within
 * API_KEY_CACHE_MS (at most a second). Revoking twice is harmless. Audit-logged.
 */
export async function revokeApiKey({
  db,
  teamId,
  apiKeyId,
  actorUserId,
}: {
  db: Tx;
  teamId: string;
  apiKeyId: string;
  actorUserId: string | null;
}): Promise<ApiKeySummary> {
  const revoked = await withTx(db, async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id: apiKeyId, teamId }, select: apiKeySummarySelect });
    if (!key) throw new BillingError("NOT_FOUND", "No such API key in this team.");
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() }, select: apiKeySummarySelect });
    await tx.auditLog.create({
      data: {
        teamId,
        actorUserId,
        action: "api_key.revoked",
        targetType: "api_key",
        targetId: key.id,
        data: { name: key.name, prefix: key.prefix, before: { status: "active" }, after: { status: "revoked" } },
      },
    });
    return revoked;
  });
  forgetApiKey(revoked.id);
  return revoked;
}
