import type { Tx } from "../../db/client";
import type { Statement } from "../../db/generated/client";
import type { StatementKind } from "../../db/generated/enums";
import { billingConfig } from "../config";
import { creditsToCents } from "../money";
import { overageCostCents } from "../usage/overage";
import { withTx } from "../with-tx";

const max0 = (n: bigint) => (n > 0n ? n : 0n);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** What a statement of `credits` drawn costs: the overage rate ($2.00 per 1M) or the credit line's (CREDITS_PER_DOLLAR). */
export function statementCents(kind: StatementKind, credits: bigint): bigint {
  return kind === "OVERAGE" ? overageCostCents(credits) : creditsToCents(credits);
}

/**
 * Closes a team's draw at a cycle boundary into a statement (status BILLING; issueStatement bills it), once per team,
 * kind and boundary. The amount is what the team had drawn below zero at the boundary and not yet billed, less what has
 * been repaid since (a top-up after the boundary repays the draw first, so it is not billed too):
 *   min(drawn at the boundary − statements open at the boundary, drawn now − statements open now).
 * and never more than usage drew below zero since the previous statement (a balance taken below zero by a refund or a
 * dispute is a debt the next top-up repays, not a draw). So nothing is billed twice, whatever the order of payments,
 * top-ups and sweeps. Null when there is nothing to bill,
 * or less than STATEMENT_MINIMUM_CENTS (the draw stays and carries into the next cycle's statement).
 */
export async function closeStatement({
  db,
  teamId,
  kind,
  closesAt,
  stripeSubscriptionId = null,
  dueAt = null,
}: {
  db: Tx;
  teamId: string;
  kind: StatementKind;
  closesAt: Date;
  stripeSubscriptionId?: string | null;
  dueAt?: Date | null;
}): Promise<{ statement: Statement; created: boolean } | null> {
  return withTx(db, async (tx) => {
    const team = await tx.$queryRawUnsafe<{ balance: bigint }[]>(`SELECT balance FROM teams WHERE id = $1 FOR UPDATE`, teamId);
    if (!team[0]) return null;
    // One statement per team and boundary whatever its kind (a credit line granted or removed since does not bill the
    // same draw again at the other rate), and never a close behind one already made (it would not subtract it).
    const existing = await tx.statement.findFirst({ where: { teamId, closesAt: { gte: closesAt } }, orderBy: { closesAt: "desc" } });
    if (existing) return { statement: existing, created: false };

    const credits = await billableDraw(tx, { teamId, balance: BigInt(team[0].balance), closesAt });
    if (credits <= 0n) return null;
    const amountCents = statementCents(kind, credits);
    if (amountCents <= 0n || amountCents < billingConfig().statementMinimumCents) return null;
    const statement = await tx.statement.create({
      data: { teamId, kind, closesAt, drawnCredits: credits, amountCents, dueAt, stripeSubscriptionId },
    });
    return { statement, created: true };
  });
}

/**
 * What a close at `closesAt` would bill (see closeStatement), or, with closesAt null, what is billable now: the draw
 * below zero not on a statement open at the time, bounded by what usage drew below zero since the previous statement.
 * The team's row must be locked by the caller for a close; a read for a page may run without it.
 */
export async function billableDraw(tx: Tx, { teamId, balance, closesAt }: { teamId: string; balance: bigint; closesAt: Date | null }): Promise<bigint> {
  const last = closesAt
    ? await tx.ledgerEntry.findFirst({
        where: { teamId, createdAt: { lt: closesAt } },
        orderBy: [{ createdAt: "desc" }, { seq: "desc" }],
        select: { balanceAfter: true },
      })
    : { balanceAfter: balance };
  // A void statement billed nothing: its draw is still unbilled (and its usage still inside the window below).
  const earlier = await tx.statement.findMany({
    where: { teamId, ...(closesAt ? { closesAt: { lt: closesAt } } : {}), status: { not: "VOID" } },
    select: { drawnCredits: true, paidAt: true, closesAt: true },
  });
  const openAt = (at: Date | null) =>
    earlier.filter((s) => s.paidAt === null || (at !== null && s.paidAt.getTime() >= at.getTime())).reduce((sum, s) => sum + s.drawnCredits, 0n);
  const drawnThen = max0(-(last?.balanceAfter ?? 0n)) - openAt(closesAt);
  const drawnNow = max0(-balance) - openAt(null);
  // Bounded by what usage drew below zero since the last statement: a debt left by a refund or a dispute is not a draw.
  const prev = earlier.length ? earlier.reduce((a, s) => (s.closesAt > a ? s.closesAt : a), earlier[0]!.closesAt) : new Date(0);
  const usage = await tx.$queryRawUnsafe<{ drawn: bigint | null }[]>(
    `SELECT sum(LEAST(-amount, -balance_after))::bigint AS drawn FROM ledger_entries
      WHERE team_id = $1 AND kind = 'USAGE' AND balance_after < 0 AND created_at >= $2 AND ($3::timestamptz IS NULL OR created_at < $3)`,
    teamId,
    prev,
    closesAt,
  );
  return max0(min(min(drawnThen, drawnNow), BigInt(usage[0]?.drawn ?? 0n)));
}
