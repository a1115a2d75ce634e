import type { Db } from "../../db/client";
import { assertStatus, lockApplication, OPEN_STATUSES, recordEvent, requireText } from "./application-rules";

/** The applicant withdraws an application under way (or a draft); the reason is optional. Audit-logged. */
export async function withdrawApplication({
  db,
  teamId,
  applicationId,
  actorUserId,
  reason,
  now = new Date(),
}: {
  db: Db;
  teamId: string;
  applicationId: string;
  actorUserId: string;
  reason?: unknown;
  now?: Date;
}): Promise<void> {
  const why = typeof reason === "string" && reason.trim() !== "" ? requireText(reason, "reason", "The reason") : null;
  await db.$transaction(async (tx) => {
    const app = await lockApplication(tx, applicationId, teamId);
    assertStatus(app, ["DRAFT", ...OPEN_STATUSES], "withdrawn");
    await tx.creditLineApplication.update({ where: { id: app.id }, data: { status: "WITHDRAWN", emailTokenHash: null, updatedAt: now } });
    await recordEvent(tx, app, { actorUserId, action: "withdrawn", to: "WITHDRAWN", reason: why });
  });
}
