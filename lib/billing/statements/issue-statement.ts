import type { Tx } from "../../db/client";
import type { Statement } from "../../db/generated/client";
import type { CustomerGateway } from "../cards/card-port";
import { ensureStripeCustomer } from "../cards/ensure-stripe-customer";
import { billingConfig } from "../config";
import { formatCents, formatCredits } from "../money";
import { withTx } from "../with-tx";
import { lockStatement } from "./lock-statement";
import { repayStatement } from "./repay-statement";
import type { StatementGateway } from "./statement-port";

const DAY_MS = 86_400_000;

/**
 * Bills a statement that closeStatement made: one Stripe invoice (keyed by the statement, so a retry after a crash
 * finds the same invoice), charged to the card on file or sent with its due date. The statement becomes OPEN with the
 * invoice's id, its payment page and how it is collected (the card on file, else sent with the statement's due date);
 * an invoice Stripe says is paid already repays it here (the webhook would too, once).
 * A decline is not an error: the invoice stays open for Stripe's retries and the payment page.
 */
export async function issueStatement({
  db,
  gateway,
  statementId,
}: {
  db: Tx;
  gateway: StatementGateway & CustomerGateway;
  statementId: string;
}): Promise<Statement> {
  const st = await db.statement.findUniqueOrThrow({
    where: { id: statementId },
    include: { team: { select: { id: true, name: true, stripeCustomerId: true } } },
  });
  if (st.status !== "BILLING") return st;
  // A team drawing on a credit line may never have paid by card: its customer is made now (one per team), so the
  // statement is sent and can fall overdue, instead of waiting unbilled for ever.
  const owner = st.team.stripeCustomerId
    ? null
    : await db.membership.findFirst({
        where: { teamId: st.teamId, role: "OWNER" },
        orderBy: { createdAt: "asc" },
        select: { user: { select: { email: true } } },
      });
  const customerId = await ensureStripeCustomer({ db, gateway, team: st.team, email: owner?.user.email ?? null });
  const what = st.kind === "OVERAGE" ? "Usage beyond your plan and purchased credits" : "Credit line drawn";
  const issued = await gateway.issueStatementInvoice({
    customerId,
    subscriptionId: st.stripeSubscriptionId,
    amountCents: st.amountCents,
    currency: st.currency,
    description: `${what}: ${formatCredits(st.drawnCredits)} credits up to ${st.closesAt.toISOString().slice(0, 10)} (${formatCents(st.amountCents)})`,
    // From the statement's own creation, not the clock: every retry under the same idempotency keys sends the same request.
    daysUntilDue: st.dueAt ? Math.max(1, Math.ceil((st.dueAt.getTime() - st.createdAt.getTime()) / DAY_MS)) : billingConfig().statementDaysUntilDue,
    metadata: { creditdesk_statement: st.id, team_id: st.teamId },
    idempotencyKey: `statement:${st.id}`,
  });
  return withTx(db, async (tx) => {
    await lockStatement(tx, st.id);
    await tx.statement.update({
      where: { id: st.id },
      data: { stripeInvoiceId: issued.invoiceId, hostedInvoiceUrl: issued.hostedInvoiceUrl, collection: issued.collection },
    });
    // The webhook may have repaid it already (PAID): only a statement still being billed becomes OPEN.
    await tx.statement.updateMany({ where: { id: st.id, status: "BILLING" }, data: { status: "OPEN" } });
    if (issued.status === "paid") {
      await repayStatement({
        db: tx,
        statementId: st.id,
        invoice: { id: issued.invoiceId, customerId: issued.customerId, status: issued.status, amountPaidCents: issued.amountPaidCents },
      });
    }
    return tx.statement.findUniqueOrThrow({ where: { id: st.id } });
  });
}
