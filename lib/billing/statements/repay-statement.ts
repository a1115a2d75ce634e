import type { Tx } from "../../db/client";
import { creditCredits } from "../ledger/credit-credits";
import { formatCents } from "../money";
import { withTx } from "../with-tx";
import { lockStatement } from "./lock-statement";
import { liftOverdueSuspension } from "./lift-overdue-suspension";
import { reconcileStatementCredits } from "./statement-money";

/**
 * A statement's invoice is paid: the balance comes back by exactly what the statement billed, through one ledger entry
 * (key `statement:<id>`), and the statement is PAID. Idempotent and safe in any order with issueStatement (the webhook
 * may arrive before the issuing call has saved the invoice id). The invoice must be the statement's own: same team's
 * Stripe customer, the statement's invoice when one is recorded, and at least the statement's amount paid.
 */
export async function repayStatement({
  db,
  statementId,
  invoice,
}: {
  db: Tx;
  statementId: string;
  invoice: { id: string; customerId: string | null; status: string | null; amountPaidCents: number };
}): Promise<string> {
  if (invoice.status !== "paid") return `statement ${statementId}: invoice not paid`;
  return withTx(db, async (tx) => {
    if (!(await lockStatement(tx, statementId))) return `ignored: no statement ${statementId}`;
    const st = await tx.statement.findUniqueOrThrow({ where: { id: statementId }, include: { team: { select: { stripeCustomerId: true } } } });
    if (!invoice.customerId || st.team.stripeCustomerId !== invoice.customerId) return `ignored: invoice ${invoice.id} is not this team's`;
    if (st.stripeInvoiceId && st.stripeInvoiceId !== invoice.id) return `ignored: statement ${st.id} is billed on ${st.stripeInvoiceId}`;
    if (BigInt(invoice.amountPaidCents) < st.amountCents) return `ignored: invoice ${invoice.id} paid less than statement ${st.id}`;
    if (st.status === "PAID") return `statement ${st.id} already repaid`;
    if (st.status === "VOID") return `ignored: statement ${st.id} is void`;
    const { entry } = await creditCredits({
      db: tx,
      teamId: st.teamId,
      amount: st.drawnCredits,
      kind: "CREDIT_LINE_STATEMENT",
      idempotencyKey: `statement:${st.id}`,
      referenceType: "statement",
      referenceId: st.id,
      description: `${st.kind === "OVERAGE" ? "Overage" : "Credit line"} statement paid (${formatCents(st.amountCents)})`,
      metadata: { statement: st.id, invoice: invoice.id },
    });
    const paid = await tx.statement.update({
      where: { id: st.id },
      data: { status: "PAID", paidAt: entry.createdAt, repaidEntryId: entry.id, stripeInvoiceId: st.stripeInvoiceId ?? invoice.id },
    });
    await liftOverdueSuspension(tx, st.teamId, entry.createdAt);
    // A refund or dispute of its charge that arrived before the invoice.paid news applies now.
    const { delta } = await reconcileStatementCredits({ db: tx, statement: paid });
    return `statement ${st.id} repaid: ${st.drawnCredits} credits${delta > 0n ? `, ${delta} taken back by its charge's refunds and disputes` : ""}`;
  });
}
