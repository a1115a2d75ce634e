import type { Db } from "../../db/client";
import { BillingError } from "../errors";
import { assertNotOwnTeam, requireText } from "./application-rules";
import { assertHasLine, type LineState, lockLine, readLine, recordLineEvent } from "./line-rules";

/**
 * A platform admin suspends drawing (teams.draw_suspended_at: the floor is zero and debits the line would have covered
 * are refused with DRAW_SUSPENDED) or resumes it. Resuming is refused while a credit-line statement is unpaid past its
 * due date: paying it reinstates the line. A line suspended only for an overdue statement may still be suspended by an
 * admin: the suspension becomes the admin's, which paying does not lift. Audit-logged.
 */
export async function setLineSuspended({
  db,
  teamId,
  adminUserId,
  suspended,
  reason,
  now = new Date(),
}: {
  db: Db;
  teamId: string;
  adminUserId: string;
  suspended: boolean;
  reason: unknown;
  now?: Date;
}): Promise<LineState> {
  const why = requireText(reason, "reason", "The reason");
  return db.$transaction(async (tx) => {
    const line = await lockLine(tx, teamId);
    assertHasLine(line);
    await assertNotOwnTeam(tx, adminUserId, teamId);
    // Suspended for an overdue statement only, the line would resume when that is paid: an admin's suspension replaces it.
    const byAdmin = line.drawSuspendedAt !== null && line.drawSuspendedReason !== "STATEMENT_OVERDUE";
    if (suspended ? byAdmin : line.drawSuspendedAt === null)
      throw new BillingError("CONFLICT", suspended ? "The line is already suspended." : "The line is not suspended.");
    if (!suspended) {
      const overdue = await tx.statement.count({ where: { teamId, status: { in: ["BILLING", "OPEN"] }, dueAt: { lt: now } } });
      if (overdue > 0) throw new BillingError("CONFLICT", "A statement is unpaid past its due date; the line resumes when it is paid.");
    }
    // ADMIN: paying an overdue statement does not lift an admin's suspension (repayStatement lifts only STATEMENT_OVERDUE).
    await tx.team.update({
      where: { id: teamId },
      data: { drawSuspendedAt: suspended ? (line.drawSuspendedAt ?? now) : null, drawSuspendedReason: suspended ? "ADMIN" : null },
    });
    await recordLineEvent(tx, teamId, adminUserId, suspended ? "suspended" : "resumed", why);
    return readLine(tx, teamId);
  });
}
