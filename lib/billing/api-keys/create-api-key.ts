import { CONTROL_CHARACTERS } from "../../auth/input-text";
import type { Tx } from "../../db/client";
import type { ApiKeyRole } from "../../db/generated/enums";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { newApiKeySecret } from "./api-key-secret";
import { type ApiKeySummary, apiKeySummarySelect } from "./api-key-summary";

const MAX_KEYS_PER_TEAM = 100;

/**
 * Creates a named API key for a team with a role (READ_ONLY: read; BILLING: also write billing and record usage), live
 * (cdk_live_…) or test (cdk_test_…: spends the balance but never below zero and never starts a charge).
 * Returns the secret once; only its sha256 is stored. Callers check apikeys:manage (OWNER/ADMIN). Audit-logged.
 */
export async function createApiKey({
  db,
  teamId,
  name,
  role,
  createdByUserId,
  test = false,
}: {
  db: Tx;
  teamId: string;
  name: string;
  role: ApiKeyRole;
  createdByUserId: string | null;
  test?: boolean;
}): Promise<{ apiKey: ApiKeySummary; secret: string }> {
  const label = name?.trim() ?? "";
  if (label.length < 1 || label.length > 100) throw new BillingError("VALIDATION_FAILED", "name must be 1 to 100 characters", { field: "name" });
  // The name goes into the spending-limit emails and the audit log: one line of text.
  if (CONTROL_CHARACTERS.test(label)) throw new BillingError("VALIDATION_FAILED", "name must be a single line without control characters", { field: "name" });
  if (role !== "READ_ONLY" && role !== "BILLING") throw new BillingError("VALIDATION_FAILED", "role must be READ_ONLY or BILLING", { field: "role" });
  const { secret, hashedKey, prefix } = newApiKeySecret({ test });
  return withTx(db, async (tx) => {
    // The team row's lock makes the count and the insert one step, so two at once cannot pass the limit together.
    await tx.$queryRaw`SELECT id FROM teams WHERE id = ${teamId} FOR UPDATE`;
    const active = await tx.apiKey.count({ where: { teamId, revokedAt: null } });
    if (active >= MAX_KEYS_PER_TEAM) throw new BillingError("CONFLICT", `A team may have at most ${MAX_KEYS_PER_TEAM} active API keys; revoke one first.`);
    const apiKey = await tx.apiKey.create({ data: { teamId, name: label, role, prefix, hashedKey, createdByUserId, test }, select: apiKeySummarySelect });
    await tx.auditLog.create({
      data: {
        teamId,
        actorUserId: createdByUserId,
        action: "api_key.created",
        targetType: "api_key",
        targetId: apiKey.id,
        data: {
          name: label,
          role,
          prefix,
          mode: test ? "test" : "live",
          before: null,
          after: { name: label, role, mode: test ? "test" : "live", status: "active" },
        },
      },
    });
    return { apiKey, secret };
  });
}
