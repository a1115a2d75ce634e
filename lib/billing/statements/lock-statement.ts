import type { Tx } from "../../db/client";

/**
 * Locks a statement for a change, taking its team's row first: every writer that touches both (the ledger, the invoice
 * copy, the sweep) locks the team before anything else, so locking in this order cannot deadlock with them.
 * False when there is no such statement.
 */
export async function lockStatement(tx: Tx, statementId: string): Promise<boolean> {
  const st = await tx.statement.findUnique({ where: { id: statementId }, select: { teamId: true } });
  if (!st) return false;
  await tx.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, st.teamId);
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM statements WHERE id = $1 FOR UPDATE`, statementId);
  return rows.length > 0;
}
