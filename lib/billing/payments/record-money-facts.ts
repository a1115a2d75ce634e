import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { withTx } from "../with-tx";
import { statusRank, type MoneyFact } from "./money-facts";
import { reconcilePaymentCredits, type ReconcileResult } from "./reconcile-payment-credits";

export type RecordMoneyInput = {
  paymentId: string;
  /** The charge and PaymentIntent the facts are about; remembered on a payment that did not know them yet. */
  chargeId: string | null;
  paymentIntentId: string | null;
  facts: MoneyFact[];
};

export type RecordMoneyResult =
  | ({ outcome: "recorded" } & ReconcileResult)
  /** The facts name a PaymentIntent other than the payment's own: nothing recorded, logged. */
  | { outcome: "mismatch"; payment: Payment }
  | { outcome: "not_found"; payment: null };

/**
 * Records what Stripe says about a payment's money (refunds, disputes, a charge's refunded total) and brings the
 * team's credits to the position those facts describe. Facts merge monotonically: a status only moves forward by
 * rank, a charge's refunded total only grows, a fact never moves to another payment. So repeats, reorderings and a
 * payment that is not credited yet (its facts wait here until fulfilment reconciles) all converge.
 */
export async function recordMoneyFacts({ db, input }: { db: Tx; input: RecordMoneyInput }): Promise<RecordMoneyResult> {
  return withTx(db, async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM payments WHERE id = ${input.paymentId} FOR UPDATE`;
    if (!locked[0]) return { outcome: "not_found", payment: null };
    let payment = await tx.payment.findUniqueOrThrow({ where: { id: input.paymentId } });
    if (input.paymentIntentId && payment.stripePaymentIntent && payment.stripePaymentIntent !== input.paymentIntentId) {
      console.error(`[creditdesk] money facts for ${input.paymentIntentId} matched payment ${payment.id} of ${payment.stripePaymentIntent}; ignored`);
      return { outcome: "mismatch", payment };
    }
    payment = await adoptStripeIds(tx, payment, input);

    await mergeMoneyFacts(tx, { paymentId: payment.id, statementId: null, currency: payment.currency }, input.facts);
    return { outcome: "recorded", ...(await reconcilePaymentCredits({ db: tx, payment })) };
  });
}

/** A payment paid through Checkout learns its PaymentIntent and charge at fulfilment; money news may come first. */
async function adoptStripeIds(tx: Tx, payment: Payment, input: RecordMoneyInput): Promise<Payment> {
  const data: { stripePaymentIntent?: string; stripeCharge?: string } = {};
  if (!payment.stripePaymentIntent && input.paymentIntentId) {
    const taken = await tx.payment.findUnique({ where: { stripePaymentIntent: input.paymentIntentId }, select: { id: true } });
    if (!taken) data.stripePaymentIntent = input.paymentIntentId;
  }
  if (!payment.stripeCharge && input.chargeId) {
    const taken = await tx.payment.findUnique({ where: { stripeCharge: input.chargeId }, select: { id: true } });
    if (!taken) data.stripeCharge = input.chargeId;
  }
  return Object.keys(data).length > 0 ? tx.payment.update({ where: { id: payment.id }, data }) : payment;
}

/**
 * Merges facts into what is known of one owner's money (a payment, a statement's own charge, or a subscription
 * invoice's charge): a status only moves forward by rank, a charge's refunded total only grows, and a fact never moves
 * to another owner or kind. Facts in another currency than the owner's are logged and left out. The owner must be
 * locked by the caller.
 */
export async function mergeMoneyFacts(
  tx: Tx,
  owner: { paymentId: string | null; statementId: string | null; invoiceId?: string | null; currency: string },
  facts: MoneyFact[],
): Promise<void> {
  const invoiceId = owner.invoiceId ?? null;
  for (const fact of facts) {
    if (fact.currency !== owner.currency) {
      console.error(
        `[creditdesk] ${fact.kind} ${fact.id} is in ${fact.currency}, ${owner.paymentId ?? owner.statementId ?? invoiceId} in ${owner.currency}; ignored`,
      );
      continue;
    }
    const rank = statusRank(fact);
    await tx.$executeRaw`
      INSERT INTO payment_money_facts (id, payment_id, statement_id, invoice_id, kind, amount_cents, currency, status, status_rank, charge_id, updated_at)
      VALUES (${fact.id}, ${owner.paymentId}, ${owner.statementId}, ${invoiceId}, ${fact.kind}, ${fact.amountCents}, ${fact.currency}, ${fact.status}, ${rank}, ${fact.chargeId}, now())
      ON CONFLICT (id) DO UPDATE SET
        status = CASE WHEN EXCLUDED.status_rank > payment_money_facts.status_rank THEN EXCLUDED.status ELSE payment_money_facts.status END,
        status_rank = GREATEST(EXCLUDED.status_rank, payment_money_facts.status_rank),
        amount_cents = CASE
          WHEN payment_money_facts.kind = 'charge' THEN GREATEST(EXCLUDED.amount_cents, payment_money_facts.amount_cents)
          WHEN EXCLUDED.status_rank > payment_money_facts.status_rank THEN EXCLUDED.amount_cents
          ELSE payment_money_facts.amount_cents END,
        charge_id = COALESCE(payment_money_facts.charge_id, EXCLUDED.charge_id),
        updated_at = now()
      WHERE payment_money_facts.payment_id IS NOT DISTINCT FROM EXCLUDED.payment_id
        AND payment_money_facts.statement_id IS NOT DISTINCT FROM EXCLUDED.statement_id
        AND payment_money_facts.invoice_id IS NOT DISTINCT FROM EXCLUDED.invoice_id
        AND payment_money_facts.kind = EXCLUDED.kind`;
  }
}
