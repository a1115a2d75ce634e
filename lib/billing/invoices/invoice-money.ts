import type { Tx } from "../../db/client";
import type { Invoice, LedgerEntry } from "../../db/generated/client";
import type { MoneyFact } from "../payments/money-facts";
import { moneyPosition, MOVED, moveToMoneyPosition, TAKE_BACK_KINDS, type MoneyPosition } from "../payments/reconcile-payment-credits";
import { mergeMoneyFacts } from "../payments/record-money-facts";
import { withTx } from "../with-tx";
import { upsertStripeInvoice, type StripeInvoiceSnapshot } from "./upsert-stripe-invoice";

export type InvoiceMoneyResult = { invoice: Invoice; position: MoneyPosition; delta: bigint; entry: LedgerEntry | null };

/**
 * Records what Stripe says about a subscription invoice's charge (refunds, disputes, the charge's refunded total) and
 * brings the plan credits the invoice granted to the position those facts describe, as recordMoneyFacts does for a
 * top-up. The invoice is copied first (upsertStripeInvoice, which locks the team: the owner lock here), so news that
 * arrives before any invoice.* event has an owner to wait on; the facts merge monotonically, and a grant made later
 * (grantInvoicePlanCredits) reconciles them, so any order or repetition of the events converges. Null when the
 * invoice is not a team's.
 */
export async function recordInvoiceMoneyFacts({
  db,
  snapshot,
  facts,
}: {
  db: Tx;
  snapshot: StripeInvoiceSnapshot;
  facts: MoneyFact[];
}): Promise<InvoiceMoneyResult | null> {
  return withTx(db, async (tx) => {
    const invoice = await upsertStripeInvoice({ db: tx, snapshot });
    if (!invoice) return null;
    await mergeMoneyFacts(tx, { paymentId: null, statementId: null, invoiceId: invoice.id, currency: invoice.currency }, facts);
    return reconcileInvoiceCredits({ db: tx, invoice });
  });
}

/** The plan credits one Stripe invoice granted (grantInvoicePlanCredits writes its id into the entry's metadata). */
async function invoicePlanCredits(db: Tx, teamId: string, stripeInvoiceId: string): Promise<bigint> {
  const [row] = await db.$queryRaw<{ total: bigint | null }[]>`
    SELECT sum(amount)::bigint AS total FROM ledger_entries
     WHERE team_id = ${teamId} AND kind = 'PLAN_GRANT' AND amount > 0 AND metadata->>'invoice' = ${stripeInvoiceId}`;
  return row?.total ?? 0n;
}

/**
 * Brings the plan credits a subscription invoice granted to what its charge's money facts say the team keeps: granted ×
 * (paid − refunded − held by disputes) / paid, paid being the invoice's total (a part paid from the customer's Stripe
 * credit is never refunded to a card). A won dispute or a failed refund gives them back. Nothing moves before the
 * invoice has granted its credits. The team must be locked by the caller.
 */
export async function reconcileInvoiceCredits({ db, invoice }: { db: Tx; invoice: Invoice }): Promise<InvoiceMoneyResult> {
  const facts = await db.paymentMoneyFact.findMany({ where: { invoiceId: invoice.id } });
  const position = moneyPosition(invoice.amountCents, invoice.currency, facts);
  const total = invoice.stripeInvoiceId ? await invoicePlanCredits(db, invoice.teamId, invoice.stripeInvoiceId) : 0n;
  const moves = await db.ledgerEntry.findMany({
    where: { teamId: invoice.teamId, kind: { in: [...TAKE_BACK_KINDS] }, referenceType: "invoice", referenceId: invoice.id },
    select: { amount: true, kind: true },
  });
  const { delta, entry } = await moveToMoneyPosition({
    db,
    owner: {
      teamId: invoice.teamId,
      paymentId: null,
      referenceType: "invoice",
      referenceId: invoice.id,
      currency: invoice.currency,
      what: "subscription payment",
    },
    reversalSource: undefined,
    total,
    position,
    moves,
  });
  const moved = entry ? MOVED[entry.kind] : null;
  if (moved) {
    // Stripe's news, so no actor: who refunded or disputed the charge is on Stripe's side.
    await db.auditLog.create({
      data: {
        teamId: invoice.teamId,
        action: `invoice.${moved}`,
        targetType: "invoice",
        targetId: invoice.id,
        data: {
          amountCents: String(invoice.amountCents),
          currency: invoice.currency,
          creditsDelta: String(delta),
          before: { refundedCents: String(invoice.refundedCents), heldCents: String(invoice.heldCents) },
          after: { refundedCents: String(position.refundedCents), heldCents: String(position.heldCents) },
        },
      },
    });
  }
  const updated =
    position.refundedCents !== invoice.refundedCents || position.heldCents !== invoice.heldCents
      ? await db.invoice.update({ where: { id: invoice.id }, data: { refundedCents: position.refundedCents, heldCents: position.heldCents } })
      : invoice;
  return { invoice: updated, position, delta, entry };
}

/** After a subscription invoice granted its plan credits: refunds or disputes Stripe reported before apply now. */
export async function reconcileInvoiceAfterGrant({ db, stripeInvoiceId }: { db: Tx; stripeInvoiceId: string }): Promise<bigint> {
  const invoice = await db.invoice.findUnique({ where: { stripeInvoiceId } });
  if (!invoice) return 0n;
  if ((await db.paymentMoneyFact.count({ where: { invoiceId: invoice.id } })) === 0) return 0n;
  return (await reconcileInvoiceCredits({ db, invoice })).delta;
}
