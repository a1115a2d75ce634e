import type { Db } from "../../db/client";
import type { CreditAdjustmentRequest } from "../../db/generated/client";
import { adjustmentReason, assertNotMember, assertPending, lockAdjustmentRequest } from "./adjustment-rules";

/**
 * A platform admin declines a PENDING adjustment with a reason (the one who asked may withdraw it this way): no credits
 * move. Not a member of the team (FORBIDDEN). CONFLICT once it was confirmed or declined. Audit-logged.
 */
export async function declineAdjustment({
  db,
  requestId,
  adminUserId,
  reason,
  now = new Date(),
}: {
  db: Db;
  requestId: string;
  adminUserId: string;
  reason: unknown;
  now?: Date;
}): Promise<CreditAdjustmentRequest> {
  const why = adjustmentReason(reason);
  return db.$transaction(async (tx) => {
    const request = await lockAdjustmentRequest(tx, requestId);
    assertPending(request, "declined");
    // Declining is a decision on the team's credits too: a member would be blocking a removal from their own team.
    await assertNotMember(tx, adminUserId, request.teamId, "decide on this adjustment");
    const updated = await tx.creditAdjustmentRequest.update({
      where: { id: request.id },
      data: { status: "DECLINED", decidedByUserId: adminUserId, decidedAt: now, decisionReason: why },
    });
    await tx.auditLog.create({
      data: {
        teamId: request.teamId,
        actorUserId: adminUserId,
        action: "credits.adjustment_declined",
        targetType: "credit_adjustment_request",
        targetId: request.id,
        data: { amount: request.amount.toString(), reason: why, requestedByUserId: request.requestedByUserId },
      },
    });
    return updated;
  });
}
