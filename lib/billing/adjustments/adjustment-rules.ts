import type { Tx } from "../../db/client";
import type { CreditAdjustmentRequest } from "../../db/generated/client";
import { requireText } from "../credit-lines/application-rules";
import { BillingError } from "../errors";

// What the admin adjustment use cases share: the input rules, the ledger key, the row lock and the own-team rule.

/** The most one adjustment may move (either sign): a typo guard far above any real correction. */
export const MAX_ADJUSTMENT_CREDITS = 1_000_000_000_000n;

/** Whole credits, signed ("-5000", "+2,000,000"); zero and anything else are VALIDATION_FAILED on `amount`. */
export function parseAdjustmentAmount(value: unknown): bigint {
  const s = typeof value === "string" ? value.trim().replace(/[,_\s]/g, "") : typeof value === "number" && Number.isSafeInteger(value) ? String(value) : "";
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
