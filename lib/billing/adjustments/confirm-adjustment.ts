import type { Db } from "../../db/client";
import type { CreditAdjustmentRequest, LedgerEntry } from "../../db/generated/client";
import { BillingError } from "../errors";
import { adjustCredits } from "../ledger/adjust-credits";
import { adjustmentLedgerKey, assertNotMember, assertPending, lockAdjustmentRequest } from "./adjustment-rules";

/**
 * A second platform admin confirms a PENDING adjustment, which then becomes its ADJUSTMENT ledger entry. Not the admin
 * who asked (FORBIDDEN), not a member of the team. Concurrent confirms confirm once: the row lock orders them and the
 * later one finds it CONFIRMED (CONFLICT). Audit-logged (the entry's own row, and the confirmation with both admins).
 */
export async function confirmAdjustment({
  db,
  requestId,
  adminUserId,
  now = new Date(),
}: {
  db: Db;
  requestId: string;
  adminUserId: string;
  now?: Date;
}): Promise<{ request: CreditAdjustmentRequest; entry: LedgerEntry }> {
  return db.$transaction(async (tx) => {
    const request = await lockAdjustmentRequest(tx, requestId);
    assertPending(request, "confirmed");
    if (request.requestedByUserId === adminUserId) {
      throw new BillingError("FORBIDDEN", "You asked for this adjustment yourself; a different platform admin must confirm it.");
    }
    await assertNotMember(tx, adminUserId, request.teamId);
    const { entry, duplicate } = await adjustCredits({
      db: tx,
      teamId: request.teamId,
      amount: request.amount,
      reason: request.reason,
      actorUserId: adminUserId,
      idempotencyKey: adjustmentLedgerKey(request.idempotencyKey),
    });
    // The key is the request's own (requestAdjustment refuses a key already used): another entry under it is a bug.
    if (duplicate && entry.amount !== request.amount)
      throw new BillingError("CONFLICT", "Another adjustment already used this request's key; nothing was changed.");
    const updated = await tx.creditAdjustmentRequest.update({
      where: { id: request.id },
      data: { status: "CONFIRMED", decidedByUserId: adminUserId, decidedAt: now, ledgerEntryId: entry.id },
    });
    await tx.auditLog.create({
      data: {
        teamId: request.teamId,
        actorUserId: adminUserId,
        action: "credits.adjustment_confirmed",
        targetType: "credit_adjustment_request",
        targetId: request.id,
        data: { amount: request.amount.toString(), reason: request.reason, requestedByUserId: request.requestedByUserId, ledgerEntryId: entry.id },
      },
    });
    return { request: updated, entry };
  });
}
