import type { Tx } from "../../db/client";
import { withTx } from "../with-tx";
import { lockStatement } from "./lock-statement";
import { liftOverdueSuspension } from "./lift-overdue-suspension";

/**
 * A statement's invoice was voided at Stripe (by an operator, or Stripe itself): the statement is VOID and no longer
 * counts as billed, so its draw, still on the balance, is billed again at the next cycle's close; an overdue suspension
 * it caused is lifted. An invoice marked uncollectible is not this: it stays open and payable, and the team suspended.
 * Only the statement's own invoice (same team's customer, the recorded invoice id) counts; a paid statement stays paid.
 */
export async function voidStatement({
  db,
  statementId,
  invoice,
  now = new Date(),
}: {
  db: Tx;
  statementId: string;
  invoice: { id: string; customerId: string | null; status: string | null };
  now?: Date;
}): Promise<string> {
  if (invoice.status !== "void") return `statement ${statementId}: invoice not void`;
  return withTx(db, async (tx) => {
    if (!(await lockStatement(tx, statementId))) return `ignored: no statement ${statementId}`;
    const st = await tx.statement.findUniqueOrThrow({ where: { id: statementId }, include: { team: { select: { stripeCustomerId: true } } } });
    if (!invoice.customerId || st.team.stripeCustomerId !== invoice.customerId) return `ignored: invoice ${invoice.id} is not this team's`;
    if (st.stripeInvoiceId !== invoice.id) return `ignored: statement ${st.id} is not billed on ${invoice.id}`;
    if (st.status === "PAID" || st.status === "VOID") return `statement ${st.id} already ${st.status.toLowerCase()}`;
    await tx.statement.update({ where: { id: st.id }, data: { status: "VOID" } });
    await liftOverdueSuspension(tx, st.teamId, now);
    return `statement ${st.id} void: its draw is billed again at the next close`;
  });
}
