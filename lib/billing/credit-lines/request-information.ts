import type { Db } from "../../db/client";
import { assertNotOwnTeam, assertStatus, lockApplication, notifyApplicant, recordEvent, requireText } from "./application-rules";

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
  return db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertStatus(app, ["SUBMITTED", "AWAITING_SECOND_APPROVAL"], "sent back for more information");
    await assertNotOwnTeam(tx, adminUserId, app.teamId, app.applicantUserId);
    await tx.creditLineMessage.create({ data: { applicationId: app.id, authorUserId: adminUserId, fromReviewer: true, body: question, createdAt: now } });
    await tx.creditLineApplication.update({
      where: { id: app.id },
      data: { status: "INFO_REQUESTED", firstApproverUserId: null, firstApprovedAt: null, approvedLimitCents: null, updatedAt: now },
    });
    await recordEvent(tx, app, { actorUserId: adminUserId, action: "info_requested", to: "INFO_REQUESTED", reason: question });
    await notifyApplicant(
      tx,
      app,
      "A reviewer needs more information",
      `About your credit-line application:\n\n${question}\n\nAnswer on the Credit line page.`,
    );
    return { id: app.id, status: "INFO_REQUESTED" as const };
  });
}
