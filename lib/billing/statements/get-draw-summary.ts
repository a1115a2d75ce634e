import type { Tx } from "../../db/client";
import type { StatementKind, StatementStatus } from "../../db/generated/enums";
import { BillingError } from "../errors";
import { getTeamPlan } from "../plans/get-team-plan";
import { statementCents } from "./close-statement";

export type StatementView = {
  id: string;
  kind: StatementKind;
  closesAt: Date;
  drawnCredits: bigint;
  amountCents: bigint;
  status: StatementStatus;
  dueAt: Date | null;
  paidAt: Date | null;
  hostedInvoiceUrl: string | null;
  /** What its own charge has had refunded, and what an open or lost dispute of it holds. */
  refundedCents: bigint;
  heldCents: bigint;
};

export type DrawSummary = {
  /** How the team may draw below zero: an approved credit line, a paid plan's metered overage, or not at all. */
  kind: StatementKind | null;
  creditLimitCredits: bigint;
  overageLimitCredits: bigint;
  suspended: boolean;
  /** Drawn below zero and not yet on a statement: what the next statement will bill (if nothing repays it first). */
  unbilledCredits: bigint;
  /** unbilledCredits at the draw's rate (overage: $2.00 per 1M; credit line: CREDITS_PER_DOLLAR), whole cents. */
  unbilledCents: bigint;
  /** When the running cycle closes and what is drawn by then is billed. */
  nextStatementAt: Date;
  /** Billed and not yet paid. */
  open: StatementView[];
  /** The latest statements, newest first. */
  recent: StatementView[];
};

/** What the team has drawn below zero, what is billed and open, and what the next statement will bill. */
export async function getDrawSummary({
  db,
  teamId,
  now = new Date(),
  cycleEnd,
}: {
  db: Tx;
  teamId: string;
  now?: Date;
  /** The running cycle's end when the caller has already read the team's plan (getTeamPlan), so it is not read again. */
  cycleEnd?: Date;
}): Promise<DrawSummary> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { balance: true, creditLimitCredits: true, overageLimitCredits: true, drawSuspendedAt: true },
  });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const select = {
    id: true,
    kind: true,
    closesAt: true,
    drawnCredits: true,
    amountCents: true,
    status: true,
    dueAt: true,
    paidAt: true,
    hostedInvoiceUrl: true,
    refundedCents: true,
    heldCents: true,
  } as const;
  const [open, recent, nextStatementAt] = await Promise.all([
    db.statement.findMany({ where: { teamId, paidAt: null }, orderBy: { closesAt: "asc" }, select }),
    db.statement.findMany({ where: { teamId }, orderBy: { closesAt: "desc" }, take: 6, select }),
    cycleEnd ?? getTeamPlan({ db, teamId, now }).then((p) => p.cycleEnd),
  ]);
  const kind: StatementKind | null = team.creditLimitCredits > 0n ? "CREDIT_LINE" : team.overageLimitCredits > 0n ? "OVERAGE" : null;
  const drawn = team.balance < 0n ? -team.balance : 0n;
  const billed = open.reduce((s, st) => s + st.drawnCredits, 0n);
  const unbilledCredits = drawn > billed ? drawn - billed : 0n;
  return {
    kind,
    creditLimitCredits: team.creditLimitCredits,
    overageLimitCredits: team.overageLimitCredits,
    suspended: team.drawSuspendedAt !== null,
    unbilledCredits,
    unbilledCents: statementCents(kind ?? "OVERAGE", unbilledCredits),
    nextStatementAt,
    open,
    recent,
  };
}
