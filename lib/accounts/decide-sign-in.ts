import type { Db } from "../db/client";
import { isStorableText } from "../auth/input-text";
import { BillingError } from "../billing/errors";

export type SignInDecision = "APPROVED" | "REJECTED";

const MAX_REASON = 1000;

/**
 * A platform admin approves or rejects a person's enterprise sign-in, with a reason. Only a PENDING sign-in can be
 * decided (a guarded update, so two admins deciding at once make one decision; the other gets CONFLICT). The decision,
 * its audit row and the person's notification (emailed when SMTP is configured) commit together.
 */
export async function decideSignIn({
  db,
  userId,
  reviewerUserId,
  decision,
  reason,
  now = new Date(),
}: {
  db: Db;
  userId: string;
  reviewerUserId: string;
  decision: SignInDecision;
  reason: string;
  now?: Date;
}): Promise<{ id: string; status: SignInDecision; reviewedAt: Date }> {
  const why = typeof reason === "string" ? reason.trim() : "";
  if (why.length === 0) throw new BillingError("VALIDATION_FAILED", "reason: give a reason for the decision.", { field: "reason" });
  if (why.length > MAX_REASON) throw new BillingError("VALIDATION_FAILED", `reason: at most ${MAX_REASON} characters.`, { field: "reason" });
  if (!isStorableText(why)) throw new BillingError("VALIDATION_FAILED", "reason: must not contain NUL bytes.", { field: "reason" });
  if (userId === reviewerUserId) throw new BillingError("FORBIDDEN", "You cannot decide your own sign-in.");
  return db.$transaction(async (tx) => {
    const done = await tx.user.updateMany({
      where: { id: userId, accessStatus: "PENDING" },
      data: { accessStatus: decision, accessReason: why, accessReviewedByUserId: reviewerUserId, accessReviewedAt: now },
    });
    const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, accessStatus: true, personalTeam: { select: { id: true } } } });
    if (!user) throw new BillingError("NOT_FOUND", "There is no such sign-in to review.");
    if (done.count !== 1) {
      const state = user.accessStatus === "REJECTED" ? "rejected" : "approved";
      throw new BillingError("CONFLICT", `That sign-in is not waiting for review: it was already ${state}.`);
    }
    const approved = decision === "APPROVED";
    await tx.auditLog.create({
      data: {
        actorUserId: reviewerUserId,
        action: approved ? "sign_in.approved" : "sign_in.rejected",
        targetType: "user",
        targetId: userId,
        data: { reason: why, email: user.email },
      },
    });
    // The person's own team hears of it; the notifications sweep emails it when SMTP is configured.
    if (user.personalTeam) {
      await tx.notification.create({
        data: {
          teamId: user.personalTeam.id,
          userId,
          kind: approved ? "sign_in_approved" : "sign_in_rejected",
          title: approved ? "Your sign-in was approved" : "Your sign-in was not approved",
          body: approved
            ? `A platform admin approved your enterprise sign-in. You can now use Creditdesk.\n\nNote from the reviewer: ${why}`
            : `A platform admin did not approve your enterprise sign-in.\n\nReason: ${why}`,
          email: user.email,
          dedupeKey: `sign_in_review:${userId}`,
        },
      });
    }
    return { id: userId, status: decision, reviewedAt: now };
  });
}
