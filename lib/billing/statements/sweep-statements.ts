import type { Db } from "../../db/client";
import { closeTeamDraw } from "./close-team-draw";
import { issueStatement } from "./issue-statement";
import type { CustomerGateway } from "../cards/card-port";
import type { StatementGateway } from "./statement-port";

/**
 * The statements job, safe in every instance at once and after any crash: (1) closes the draw of every team below zero
 * at its last cycle boundary (a credit line's draw, or a paid plan's metered overage), once per team and boundary;
 * (2) bills every statement not yet billed (issueStatement is keyed by the statement, so a retry finds the same
 * invoice); (3) suspends drawing for teams with a statement unpaid past its due date (repayStatement lifts it).
 */
export async function sweepStatements({
  db,
  gateway,
  now = new Date(),
  onError = (e: unknown) => console.error("[creditdesk] statement failed:", e),
}: {
  db: Db;
  gateway: StatementGateway & CustomerGateway;
  now?: Date;
  onError?: (e: unknown) => void;
}): Promise<{ closed: number; issued: number; suspended: number }> {
  let closed = 0;
  for (let cursor: string | undefined; ;) {
    const teams = await db.team.findMany({
      where: { balance: { lt: 0n }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 500,
    });
    for (const team of teams) {
      try {
        if ((await closeTeamDraw({ db, teamId: team.id, now }))?.created) closed++;
      } catch (e) {
        onError(e);
      }
    }
    if (teams.length < 500) break;
    cursor = teams[teams.length - 1]!.id;
  }

  let issued = 0;
  for (const st of await db.statement.findMany({ where: { status: "BILLING" }, select: { id: true }, orderBy: { createdAt: "asc" }, take: 500 })) {
    try {
      if ((await issueStatement({ db, gateway, statementId: st.id })).status !== "BILLING") issued++;
    } catch (e) {
      onError(e);
    }
  }

  const overdue = await db.statement.findMany({ where: { status: "OPEN", dueAt: { lt: now } }, select: { teamId: true }, distinct: ["teamId"] });
  let suspended = 0;
  for (const { teamId } of overdue) {
    // Checked again under the team's lock: a payment applied since the list was read (repayStatement lifts the
    // suspension under the same lock) must not leave the team suspended with nothing overdue.
    suspended += await db.$transaction(async (tx) => {
      await tx.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, teamId);
      if ((await tx.statement.count({ where: { teamId, status: "OPEN", dueAt: { lt: now } } })) === 0) return 0;
      const r = await tx.team.updateMany({
        where: { id: teamId, drawSuspendedAt: null },
        data: { drawSuspendedAt: now, drawSuspendedReason: "STATEMENT_OVERDUE" },
      });
      return r.count;
    });
  }
  return { closed, issued, suspended };
}
