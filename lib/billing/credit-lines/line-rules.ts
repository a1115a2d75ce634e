import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { emitCreditLineUpdated } from "../webhooks/billing-events";

// What lowering, suspending, resuming and closing a line share: the team row lock (it orders with debits, so a
// debit in flight is decided against the new floor) and the audit row (target the team; the admin queue shows it with
// the team's applications).

export type LockedLine = { id: string; creditLimitCents: bigint; drawSuspendedAt: Date | null; drawSuspendedReason: string | null };

export async function lockLine(tx: Tx, teamId: string): Promise<LockedLine> {
  const rows = await tx.$queryRawUnsafe<{ id: string; credit_limit_cents: bigint; draw_suspended_at: Date | null; draw_suspended_reason: string | null }[]>(
    `SELECT id, credit_limit_cents, draw_suspended_at, draw_suspended_reason FROM teams WHERE id = $1 FOR UPDATE`,
    teamId,
  );
  const t = rows[0];
  if (!t) throw new BillingError("NOT_FOUND", "That team does not exist.");
  return {
    id: t.id,
    creditLimitCents: BigInt(t.credit_limit_cents),
    drawSuspendedAt: t.draw_suspended_at,
    drawSuspendedReason: t.draw_suspended_reason,
  };
}

export function assertHasLine(line: LockedLine): void {
  if (line.creditLimitCents <= 0n) throw new BillingError("CONFLICT", "This team has no credit line.");
}

export async function recordLineEvent(tx: Tx, teamId: string, actorUserId: string, action: string, reason: string, data: Record<string, unknown> = {}) {
  const audit = await tx.auditLog.create({
    data: { teamId, actorUserId, action: `credit_line.${action}`, targetType: "team", targetId: teamId, data: { reason, ...data } },
  });
  // Closing and lowering go through setCreditLimit, which emits their credit_line_updated.
  if (action === "suspended" || action === "resumed") await emitCreditLineUpdated(tx, { teamId, change: action, changeId: audit.id, reason });
}

export type LineState = { teamId: string; limitCents: bigint; suspended: boolean };

export async function readLine(tx: Tx, teamId: string): Promise<LineState> {
  const t = await tx.team.findUniqueOrThrow({ where: { id: teamId }, select: { creditLimitCents: true, drawSuspendedAt: true } });
  return { teamId, limitCents: t.creditLimitCents, suspended: t.drawSuspendedAt !== null };
}
