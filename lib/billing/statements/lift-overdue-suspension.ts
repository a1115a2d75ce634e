import type { Tx } from "../../db/client";

/** Drawing suspended for overdue statements resumes once none is left overdue at `at` (an admin's suspension stays). */
export async function liftOverdueSuspension(tx: Tx, teamId: string, at: Date): Promise<void> {
  const stillOverdue = await tx.statement.count({ where: { teamId, status: "OPEN", dueAt: { lt: at } } });
  if (stillOverdue > 0) return;
  await tx.team.updateMany({ where: { id: teamId, drawSuspendedReason: "STATEMENT_OVERDUE" }, data: { drawSuspendedAt: null, drawSuspendedReason: null } });
}
