import type { Db } from "../../db/client";
import { assertStatus, lockApplication, recordEvent, requireText } from "./application-rules";

/** The applicant answers a reviewer's request for more information; the application goes back to the queue. Audit-logged. */
export async function answerInfoRequest({
  db,
  teamId,
  applicationId,
  actorUserId,
  message,
  now = new Date(),
}: {
  db: Db;
  teamId: string;
  applicationId: string;
  actorUserId: string;
  message: unknown;
  now?: Date;
}): Promise<void> {
  const body = requireText(message, "message", "Your answer");
  await db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId, teamId);
    assertStatus(app, ["INFO_REQUESTED"], "answered");
    await tx.creditLineMessage.create({ data: { applicationId: app.id, authorUserId: actorUserId, fromReviewer: false, body, createdAt: now } });
    await tx.creditLineApplication.update({ where: { id: app.id }, data: { status: "SUBMITTED", updatedAt: now } });
    await recordEvent(tx, app, { actorUserId, action: "answered", to: "SUBMITTED" });
  });
}
