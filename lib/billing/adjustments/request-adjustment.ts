import type { Db } from "../../db/client";
import type { CreditAdjustmentRequest, LedgerEntry } from "../../db/generated/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError, isUniqueViolation } from "../errors";
import { adjustCredits } from "../ledger/adjust-credits";
import { adjustmentKey, adjustmentLedgerKey, adjustmentReason, assertNotMember, parseAdjustmentAmount, recentAdjustmentCredits } from "./adjustment-rules";

export type AdjustmentOutcome =
  { outcome: "applied"; entry: LedgerEntry; duplicate: boolean } | { outcome: "pending"; request: CreditAdjustmentRequest; duplicate: boolean };

/**
 * A platform admin corrects a team's credits with a reason. Below ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS (either
 * sign) it is an ADJUSTMENT ledger entry at once (adjustCredits, audit-logged); at or above, it waits for a second,
 * different admin (confirmAdjustment) as a PENDING request, audit-logged too. The line counts this admin's pending and
 * direct adjustments of the team in the last 24 hours with the new one, so splitting a large one does not dodge it. The form's key makes a double submit one
 * adjustment; the same key with another amount is IDEMPOTENCY_MISMATCH. Refused for the admin's own team.
 */
export async function requestAdjustment({
  db,
  teamId,
  adminUserId,
  input,
  config = billingConfig(),
  now = new Date(),
}: {
  db: Db;
  teamId: string;
  adminUserId: string;
  input: { amount: unknown; reason: unknown; idempotencyKey: unknown };
  config?: BillingConfig;
  now?: Date;
}): Promise<AdjustmentOutcome> {
  const amount = parseAdjustmentAmount(input.amount);
  const reason = adjustmentReason(input.reason);
  const key = adjustmentKey(input.idempotencyKey);
  const abs = amount < 0n ? -amount : amount;
  const run = () =>
    db.$transaction(async (tx): Promise<AdjustmentOutcome> => {
      // The team row lock orders this against a confirmation of the same key, the ledger's own writers, and another
      // adjustment of the team: the second of two at once counts the first in its 24 hours.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM teams WHERE id = ${teamId} FOR UPDATE`;
      if (!locked[0]) throw new BillingError("NOT_FOUND", "That team does not exist.");
      await assertNotMember(tx, adminUserId, teamId);
      const earlier = await tx.creditAdjustmentRequest.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey: key } } });
      if (earlier) {
        if (earlier.amount !== amount) throw mismatch();
        return { outcome: "pending", request: earlier, duplicate: true };
      }
      const applied = await tx.ledgerEntry.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey: adjustmentLedgerKey(key) } } });
      if (applied) {
        if (applied.amount !== amount) throw mismatch();
        return { outcome: "applied", entry: applied, duplicate: true };
      }
      const recentCredits = await recentAdjustmentCredits(tx, { teamId, adminUserId, now });
      if (abs + recentCredits < config.adjustmentSecondApprovalCredits) {
        const r = await adjustCredits({ db: tx, teamId, amount, reason, actorUserId: adminUserId, idempotencyKey: adjustmentLedgerKey(key) });
        return { outcome: "applied", entry: r.entry, duplicate: r.duplicate };
      }
      const request = await tx.creditAdjustmentRequest.create({
        data: { teamId, amount, reason, idempotencyKey: key, requestedByUserId: adminUserId, recentCredits },
      });
      await tx.auditLog.create({
        data: {
          teamId,
          actorUserId: adminUserId,
          action: "credits.adjustment_requested",
          targetType: "credit_adjustment_request",
          targetId: request.id,
          data: { amount: amount.toString(), reason, needsSecondAdmin: true, recentCredits: recentCredits.toString() },
        },
      });
      return { outcome: "pending", request, duplicate: false };
    });
  try {
    return await run();
  } catch (e) {
    // Two submits of one form at once: the later one finds what the first made.
    if (isUniqueViolation(e)) return run();
    throw e;
  }
}

const mismatch = () =>
  new BillingError("IDEMPOTENCY_MISMATCH", "This form was already sent with another amount. Reload the page to make a new adjustment.", { field: "amount" });
