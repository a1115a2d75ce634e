import type { Tx } from "../../db/client";
import type { CreditAdjustmentRequest } from "../../db/generated/client";
import { requireText } from "../credit-lines/application-rules";
import { withoutDigitGroups } from "../amount-text";
import { formatCredits } from "../currency";
import { BillingError } from "../errors";

// What the admin adjustment use cases share: the input rules, the ledger key, the row lock and the own-team rule.

/** The most one adjustment may move (either sign): a typo guard far above any real correction. */
export const MAX_ADJUSTMENT_CREDITS = 1_000_000_000_000n;

/** Whole credits, signed ("-5000", "+2,000,000"); zero and anything else are VALIDATION_FAILED on `amount`. */
export function parseAdjustmentAmount(value: unknown): bigint {
  const s = typeof value === "string" ? withoutDigitGroups(value.trim()) : typeof value === "number" && Number.isSafeInteger(value) ? String(value) : "";
  if (!/^[+-]?\d{1,13}$/.test(s)) throw new BillingError("VALIDATION_FAILED", "Enter a whole number of credits, negative to remove them.", { field: "amount" });
  const n = BigInt(s.replace(/^\+/, ""));
  if (n === 0n) throw new BillingError("VALIDATION_FAILED", "An adjustment must add or remove at least one credit.", { field: "amount" });
  const abs = n < 0n ? -n : n;
  if (abs > MAX_ADJUSTMENT_CREDITS) throw new BillingError("VALIDATION_FAILED", "That is more than one adjustment may move.", { field: "amount" });
  return n;
}

/** The reason every adjustment needs: 3 to 500 printable characters (adjustCredits' own rule). */
export function adjustmentReason(value: unknown): string {
  const s = requireText(value, "reason", "The reason");
  if (s.length < 3 || s.length > 500) throw new BillingError("VALIDATION_FAILED", "The reason must be 3 to 500 characters.", { field: "reason" });
  return s;
}

/** The form's one-submit key: 8 to 100 letters, digits, - or _ (the browser makes one per opened form). */
export function adjustmentKey(value: unknown): string {
  const s = typeof value === "string" ? value : "";
  if (!/^[A-Za-z0-9_-]{8,100}$/.test(s))
    throw new BillingError("VALIDATION_FAILED", "The form's idempotency key is missing or not valid.", { field: "idempotencyKey" });
  return s;
}

/** The ledger entry's key: a direct adjustment and a confirmed request with the same form key make one entry. */
export const adjustmentLedgerKey = (key: string) => `admin-adjust:${key}`;

/** A platform admin who belongs to the team asks for, confirms or declines no adjustment of it: another admin must. */
export async function assertNotMember(tx: Tx, adminUserId: string, teamId: string, doing = "adjust its credits"): Promise<void> {
  const member = await tx.membership.findFirst({ where: { teamId, userId: adminUserId }, select: { id: true } });
  if (member) throw new BillingError("FORBIDDEN", `You are a member of this team, so another platform admin must ${doing}.`);
}

/** Locks a request row for the rest of the transaction; NOT_FOUND when absent. */
export async function lockAdjustmentRequest(tx: Tx, id: string): Promise<CreditAdjustmentRequest> {
  await tx.$queryRaw`SELECT id FROM credit_adjustment_requests WHERE id = ${id} FOR UPDATE`;
  const request = await tx.creditAdjustmentRequest.findUnique({ where: { id } });
  if (!request) throw new BillingError("NOT_FOUND", "That adjustment request does not exist.");
  return request;
}

export function assertPending(request: CreditAdjustmentRequest, doing: string): void {
  if (request.status !== "PENDING") {
    const was = request.status === "CONFIRMED" ? "already confirmed" : "declined";
    throw new BillingError("CONFLICT", `This adjustment was ${was}, so it cannot be ${doing} now.`, { status: request.status });
  }
}

/** How far back one admin's adjustments of one team count together toward the second-admin line. */
export const ADJUSTMENT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The credits (absolute) this admin moved on this team in the 24 hours before `now` without a second admin: their
 * PENDING requests and their direct adjustments (a confirmed request's entry had two admins, so it does not count).
 * Call with the team row locked, so two adjustments at once cannot both miss each other.
 */
export async function recentAdjustmentCredits(tx: Tx, { teamId, adminUserId, now }: { teamId: string; adminUserId: string; now: Date }): Promise<bigint> {
  const since = new Date(now.getTime() - ADJUSTMENT_WINDOW_MS);
  const prefix = adjustmentLedgerKey("");
  const [row] = await tx.$queryRaw<{ credits: bigint }[]>`
    SELECT (
      SELECT COALESCE(SUM(ABS(le.amount)), 0) FROM ledger_entries le
      WHERE le.team_id = ${teamId} AND le.kind = 'ADJUSTMENT' AND le.actor_user_id = ${adminUserId} AND le.created_at > ${since}
        AND starts_with(le.idempotency_key, ${prefix})
        AND NOT EXISTS (SELECT 1 FROM credit_adjustment_requests r
                        WHERE r.team_id = le.team_id AND r.idempotency_key = substr(le.idempotency_key, ${prefix.length + 1}))
    ) + (
      SELECT COALESCE(SUM(ABS(r.amount)), 0) FROM credit_adjustment_requests r
      WHERE r.team_id = ${teamId} AND r.requested_by_user_id = ${adminUserId} AND r.status = 'PENDING' AND r.created_at > ${since}
    ) AS credits`;
  return BigInt(row?.credits ?? 0);
}

/** Why a request waits for a second admin, in words (the pending lists show it). */
export function secondAdminWhy(request: { amount: bigint; recentCredits: bigint }, lineCredits: bigint): string {
  const abs = request.amount < 0n ? -request.amount : request.amount;
  if (request.recentCredits > 0n)
    return `Needs a second admin: with this admin's adjustments in the last 24 hours it reaches ${formatCredits(abs + request.recentCredits)} credits (the line is ${formatCredits(lineCredits)}).`;
  return `Needs a second admin: ${formatCredits(abs)} credits is at or above the line of ${formatCredits(lineCredits)}.`;
}
