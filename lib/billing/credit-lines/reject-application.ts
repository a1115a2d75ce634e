import type { Db } from "../../db/client";
import { requireText, reviewerReply } from "./application-rules";

/** A platform admin rejects an application under way with a reason the applicant sees. Audit-logged. */
export async function rejectApplication({
  db,
  applicationId,
  adminUserId,
  reason,
  now = new Date(),
}: {
  db: Db;
  applicationId: string;
  adminUserId: string;
  reason: unknown;
  now?: Date;
}): Promise<{ id: string; status: "REJECTED" }> {
  const why = requireText(reason, "reason", "The reason");
  await reviewerReply(db, {
    applicationId,
    adminUserId,
    text: why,
    from: ["SUBMITTED", "INFO_REQUESTED", "AWAITING_EMAIL", "AWAITING_SECOND_APPROVAL"],
    doing: "rejected",
    to: "REJECTED",
    action: "rejected",
    data: { reviewerUserId: adminUserId, reviewReason: why, reviewedAt: now, emailTokenHash: null },
    notice: { title: "Your credit-line application was not approved", body: `A reviewer answered:\n\n${why}\n\nPrepaid top-ups remain available.` },
    now,
  });
  return { id: applicationId, status: "REJECTED" };
}
