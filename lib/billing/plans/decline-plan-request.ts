import type { Db } from "../../db/client";
import { isStorableText } from "../../auth/input-text";
import { BillingError } from "../errors";

/** A platform admin turns an open Enterprise request down with a reason the team sees. CONFLICT when already answered. */
export async function declinePlanRequest({
  db,
  requestId,
  actorUserId,
  reason,
  now = new Date(),
}: {
  db: Db;
  requestId: string;
  actorUserId: string;
  reason: string;
  now?: Date;
}): Promise<void> {
  const why = typeof reason === "string" ? reason.trim() : "";
  if (why.length === 0) throw new BillingError("VALIDATION_FAILED", "Give the team a reason.", { field: "reason" });
  if (why.length > 1000) throw new BillingError("VALIDATION_FAILED", "The reason must be at most 1000 characters.", { field: "reason" });
  if (!isStorableText(why)) throw new BillingError("VALIDATION_FAILED", "The reason must not contain NUL bytes.", { field: "reason" });
  await db.$transaction(async (tx) => {
    const request = await tx.planRequest.findUnique({ where: { id: requestId }, select: { teamId: true } });
    if (!request) throw new BillingError("NOT_FOUND", "That Enterprise request does not exist.");
    const done = await tx.planRequest.updateMany({
      where: { id: requestId, status: "OPEN" },
      data: { status: "DECLINED", declineReason: why, handledByUserId: actorUserId, handledAt: now, updatedAt: now },
    });
    if (done.count !== 1) throw new BillingError("CONFLICT", "That Enterprise request was already answered.");
    await tx.auditLog.create({
      data: { teamId: request.teamId, actorUserId, action: "plan_request.declined", targetType: "plan_request", targetId: requestId, data: { reason: why } },
    });
  });
}
