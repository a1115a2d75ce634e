import type { Tx } from "../../db/client";
import type { LedgerEntry, Statement } from "../../db/generated/client";
import type { MoneyFact } from "../payments/money-facts";
import { moneyPosition, MOVED, moveToMoneyPosition, reportChargeMoneyMove, TAKE_BACK_KINDS, type MoneyPosition } from "../payments/reconcile-payment-credits";
import { mergeMoneyFacts } from "../payments/record-money-facts";
import { withTx } from "../with-tx";
import { lockStatement } from "./lock-statement";

export type StatementMoneyResult = { statement: Statement; position: MoneyPosition; delta: bigint; entry: LedgerEntry | null };

/**
 * Records what Stripe says about a statement's own charge (refunds, disputes, the charge's refunded total) and brings
 * the credits its payment repaid to the position those facts describe, as recordMoneyFacts does for a top-up: the
 * facts merge monotonically, so any order or repetition of the events converges. Facts about a statement not repaid
 * yet wait here; repayStatement reconciles them when the invoice is paid.
 */
export async function recordStatementMoneyFacts({
  db,
  statementId,
  facts,
}: {
  db: Tx;
  statementId: string;
  facts: MoneyFact[];
}): Promise<StatementMoneyResult | null> {
  return withTx(db, async (tx) => {
    if (!(await lockStatement(tx, statementId))) return null;
    const st = await tx.statement.findUniqueOrThrow({ where: { id: statementId } });
    await mergeMoneyFacts(tx, { paymentId: null, statementId: st.id, currency: st.currency }, facts);
    return reconcileStatementCredits({ db: tx, statement: st });
  });
}

/**
 * Brings what a statement's payment repaid to what its charge's money facts say the team keeps: the drawn credits ×
 * (paid − refunded − held by disputes) / paid. A refunded or disputed statement's credits are taken back, so the draw
 * it repaid is owed again (a debt on the balance, repaid first by the next credits, not billed a second time); a
 * dispute won or a refund that failed gives them back. Nothing moves before the statement is repaid. The statement
 * must be locked (lockStatement) by the caller.
 */
export async function reconcileStatementCredits({ db, statement: st }: { db: Tx; statement: Statement }): Promise<StatementMoneyResult> {
  const facts = await db.paymentMoneyFact.findMany({ where: { statementId: st.id } });
  const position = moneyPosition(st.amountCents, st.currency, facts);
  const repaid = st.status === "PAID" && st.repaidEntryId !== null;
  const moves = await db.ledgerEntry.findMany({
    where: { teamId: st.teamId, kind: { in: [...TAKE_BACK_KINDS] }, referenceType: "statement", referenceId: st.id },
    select: { amount: true, kind: true },
  });
  const { delta, entry } = await moveToMoneyPosition({
    db,
    owner: { teamId: st.teamId, paymentId: null, referenceType: "statement", referenceId: st.id, currency: st.currency, what: "statement payment" },
    reversalSource: undefined,
    total: repaid ? st.drawnCredits : 0n,
    position,
    moves,
  });
  const refundedCents = repaid ? position.refundedCents : 0n;
  const heldCents = repaid ? position.heldCents : 0n;
  const moved = entry ? MOVED[entry.kind] : null;
  await reportChargeMoneyMove(db, {
    owner: { type: "statement", id: st.id, teamId: st.teamId, amountCents: st.amountCents, currency: st.currency },
    moved,
    delta,
    before: st,
    after: { refundedCents, heldCents },
  });
  const statement =
    refundedCents !== st.refundedCents || heldCents !== st.heldCents
      ? await db.statement.update({ where: { id: st.id }, data: { refundedCents, heldCents } })
      : st;
  return { statement, position, delta, entry };
}
