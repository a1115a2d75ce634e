import type { Tx } from "../../db/client";
import type { Invoice, LedgerEntry } from "../../db/generated/client";
import type { MoneyFact } from "../payments/money-facts";
import {
  grantsExpiry,
  moneyPosition,
  MOVED,
  moveToMoneyPosition,
  reportChargeMoneyMove,
  TAKE_BACK_KINDS,
  type MoneyPosition,
} from "../payments/reconcile-payment-credits";
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
const invoicePlanGrants = (db: Tx, teamId: string, stripeInvoiceId: string) =>
  db.$queryRaw<{ amount: bigint; grant_id: string | null }[]>`
    SELECT amount, grant_id FROM ledger_entries
     WHERE team_id = ${teamId} AND kind = 'PLAN_GRANT' AND amount > 0 AND metadata->>'invoice' = ${stripeInvoiceId}`;

/**
 * Brings the plan credits a subscription invoice granted to what its charge's money facts say the team keeps: granted ×
 * (paid − refunded − held by disputes) / paid, paid being the invoice's total (a part paid from the customer's Stripe
 * credit is never refunded to a card). Credits of the grant that expired unused count as taken back already (a
 * chargeback weeks after the cycle takes back what was used, not other credits the team bought), while what was
 * taken back before the expiry is never returned because of it: either way the team ends having lost max(its share,
 * what it left unused) of the grant, whether the expiry or the refund comes first. A won dispute or a failed refund
 * gives credits back. Nothing moves before the invoice has granted its credits. The team must be locked by the caller.
 */
export async function reconcileInvoiceCredits({ db, invoice }: { db: Tx; invoice: Invoice }): Promise<InvoiceMoneyResult> {
  const facts = await db.paymentMoneyFact.findMany({ where: { invoiceId: invoice.id } });
  const position = moneyPosition(invoice.amountCents, invoice.currency, facts);
  const grants = invoice.stripeInvoiceId ? await invoicePlanGrants(db, invoice.teamId, invoice.stripeInvoiceId) : [];
  const moves = await db.ledgerEntry.findMany({
    where: { teamId: invoice.teamId, kind: { in: [...TAKE_BACK_KINDS] }, referenceType: "invoice", referenceId: invoice.id },
    select: { amount: true, kind: true, seq: true },
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
    total: grants.reduce((acc, g) => acc + g.amount, 0n),
    expiry: await grantsExpiry(
      db,
      invoice.teamId,
      grants.map((g) => g.grant_id),
    ),
    position,
    moves,
  });
  const moved = entry ? MOVED[entry.kind] : null;
  await reportChargeMoneyMove(db, {
    owner: { type: "invoice", id: invoice.id, teamId: invoice.teamId, amountCents: invoice.amountCents, currency: invoice.currency },
    moved,
    delta,
    before: invoice,
    after: position,
  });
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
