import type { Db } from "../../db/client";
import { assertNotOwnTeam, assertStatus, lockApplication, notifyApplicant, recordEvent, requireText } from "./application-rules";

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
  return db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId);
    assertStatus(app, ["SUBMITTED", "INFO_REQUESTED", "AWAITING_EMAIL", "AWAITING_SECOND_APPROVAL"], "rejected");
    await assertNotOwnTeam(tx, adminUserId, app.teamId, app.applicantUserId);
    await tx.creditLineMessage.create({ data: { applicationId: app.id, authorUserId: adminUserId, fromReviewer: true, body: why, createdAt: now } });
    await tx.creditLineApplication.update({
      where: { id: app.id },
      data: { status: "REJECTED", reviewerUserId: adminUserId, reviewReason: why, reviewedAt: now, emailTokenHash: null, updatedAt: now },
    });
    await recordEvent(tx, app, { actorUserId: adminUserId, action: "rejected", to: "REJECTED", reason: why });
    await notifyApplicant(tx, app, "Your credit-line application was not approved", `A reviewer answered:\n\n${why}\n\nPrepaid top-ups remain available.`);
    return { id: app.id, status: "REJECTED" as const };
  });
}
