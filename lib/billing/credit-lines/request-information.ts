import type { Db } from "../../db/client";
import { requireText, reviewerReply } from "./application-rules";

/**
 * A platform admin asks the applicant for more; the question is the reason, posted to the thread and emailed. An
 * approval waiting for its second admin goes back too (the first approval is dropped). Audit-logged.
 */
export async function requestInformation({
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
}): Promise<{ id: string; status: "INFO_REQUESTED" }> {
  const question = requireText(reason, "reason", "The question");
  await reviewerReply(db, {
    applicationId,
    adminUserId,
    text: question,
    from: ["SUBMITTED", "AWAITING_SECOND_APPROVAL"],
    doing: "sent back for more information",
    to: "INFO_REQUESTED",
    action: "info_requested",
    data: { firstApproverUserId: null, firstApprovedAt: null, approvedLimitCents: null },
    notice: { title: "A reviewer needs more information", body: `About your credit-line application:\n\n${question}\n\nAnswer on the Credit line page.` },
    now,
  });
  return { id: applicationId, status: "INFO_REQUESTED" };
}
