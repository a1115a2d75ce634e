import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { ApiKeyLimitPeriod } from "../../db/generated/enums";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { apiKeySummarySelect } from "./api-key-summary";
import { API_KEY_LIMIT_PERIODS, apiKeyLimitPeriod } from "./limit-period";
import { type ApiKeyView, apiKeyLimitView } from "./list-api-keys";

export const MAX_API_KEY_LIMIT_CREDITS = 1_000_000_000_000_000n;

export type ApiKeyLimitInput = { credits: bigint; period: ApiKeyLimitPeriod } | null;

const reached80 = (spent: bigint, limit: bigint) => spent * 100n >= limit * 80n;

/**
 * Sets, changes or (with null) clears a key's spending limit: credits per UTC day, week or month, enforced by
 * cd_debit_batch. Locks the team row (ordered with debits), recounts the key's spend in the new period from the ledger,
 * sends the 80% alert when the new limit is already that close, or the note that a standing alert cleared (limit raised
 * or removed). Only with apikeys:manage, for a live key of the actor's team; audit-logged when something changed.
 */
export async function setApiKeyLimit({
  db,
  actor,
  apiKeyId,
  limit,
  now = new Date(),
}: {
  db: Tx;
  actor: Actor;
  apiKeyId: string;
  limit: ApiKeyLimitInput;
  now?: Date;
}): Promise<ApiKeyView> {
  requirePermission(actor, "apikeys:manage");
  if (limit !== null) {
    if (typeof limit.credits !== "bigint" || limit.credits <= 0n || limit.credits > MAX_API_KEY_LIMIT_CREDITS)
      throw new BillingError(
        "VALIDATION_FAILED",
        `The limit must be a whole number of credits from 1 to ${MAX_API_KEY_LIMIT_CREDITS.toLocaleString("en-US")}.`,
        {
          field: "credits",
        },
      );
    if (!(API_KEY_LIMIT_PERIODS as readonly string[]).includes(limit.period))
      throw new BillingError("VALIDATION_FAILED", "The period must be DAY, WEEK or MONTH.", { field: "period" });
  }
  const teamId = actor.teamId;
  return withTx(db, async (tx) => {
    await tx.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, teamId);
    const key = await tx.apiKey.findFirst({ where: { id: apiKeyId, teamId }, select: { ...apiKeySummarySelect, limitAlertPeriodStart: true } });
    if (!key) throw new BillingError("NOT_FOUND", "No such API key in this team.");
    if (key.revokedAt) throw new BillingError("CONFLICT", "That API key is revoked; its limit can no longer change.");
    const before = key.limitCredits === null ? null : { credits: key.limitCredits.toString(), period: key.limitPeriod };
    const after = limit === null ? null : { credits: limit.credits.toString(), period: limit.period };
    const alerted = key.limitAlertPeriodStart;
    let data = { limitCredits: null as bigint | null, limitPeriod: null as ApiKeyLimitPeriod | null, limitPeriodStart: null as Date | null, limitSpent: 0n };
    let alertAfter: Date | null = null;
    let why = "the limit was removed";
    if (limit !== null) {
      const { start } = apiKeyLimitPeriod(limit.period, now);
      const [row] = await tx.$queryRawUnsafe<{ spent: bigint }[]>(
        `SELECT COALESCE(sum(-amount), 0)::bigint AS spent FROM ledger_entries WHERE team_id = $1 AND api_key_id = $2 AND kind = 'USAGE' AND created_at >= $3`,
        teamId,
        key.id,
        start,
      );
      const spent = BigInt(row?.spent ?? 0n);
      data = { limitCredits: limit.credits, limitPeriod: limit.period, limitPeriodStart: start, limitSpent: spent };
      // A standing alert of this very period stays while the new limit is still 80% used; otherwise it clears.
      const standing = alerted !== null && alerted.getTime() === start.getTime() && key.limitPeriod === limit.period;
      if (reached80(spent, limit.credits)) alertAfter = standing ? alerted : start;
      why = key.limitPeriod !== limit.period ? "the limit's period changed" : alerted && alerted < start ? "a new period began" : "the limit was raised";
    }
    const updated = await tx.apiKey.update({ where: { id: key.id }, data: { ...data, limitAlertPeriodStart: alertAfter }, select: apiKeySummarySelect });
    if (alerted && alertAfter?.getTime() !== alerted.getTime())
      await tx.$executeRawUnsafe(`SELECT cd_api_key_limit_note($1, true, $2::timestamptz, $3)`, key.id, alerted, why);
    if (alertAfter && alertAfter.getTime() !== alerted?.getTime())
      await tx.$executeRawUnsafe(`SELECT cd_api_key_limit_note($1, false, $2::timestamptz, NULL)`, key.id, alertAfter);
    if (JSON.stringify(before) !== JSON.stringify(after)) await audit(tx, actor, key, before, after);
    return view(updated, now);
  });
}

type Limit = { credits: string; period: ApiKeyLimitPeriod | null } | null;

async function audit(tx: Tx, actor: Actor, key: { id: string; name: string; prefix: string }, before: Limit, after: Limit): Promise<void> {
  await tx.auditLog.create({
    data: {
      teamId: actor.teamId,
      actorUserId: actor.kind === "user" ? actor.userId : null,
      actorApiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
      action: "api_key.limit_changed",
      targetType: "api_key",
      targetId: key.id,
      data: { name: key.name, prefix: key.prefix, before, after },
    },
  });
}

function view(k: Parameters<typeof apiKeyLimitView>[0] & Omit<ApiKeyView, "limit">, now: Date): ApiKeyView {
  const { id, name, prefix, role, test, createdAt, lastUsedAt, revokedAt } = k;
  return { id, name, prefix, role, test, createdAt, lastUsedAt, revokedAt, limit: apiKeyLimitView(k, now) };
}
