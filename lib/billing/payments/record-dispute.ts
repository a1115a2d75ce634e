import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { BillingError } from "../errors";
import { clawbackCredits } from "../ledger/clawback-credits";
import { creditCredits } from "../ledger/credit-credits";
import { creditsTakenBack, lockPaymentForCharge, paymentCredits } from "./lock-payment";

export type DisputeInput = {
  disputeId: string;
  chargeId: string;
  paymentIntentId: string | null;
  amountCents: bigint;
  currency: string;
};

export type DisputeResult = { outcome: "taken_back" | "given_back" | "nothing_to_do" | "not_ours" | "not_credited"; payment: Payment | null; credits: bigint };

/** Key of the DISPUTE entry of a Stripe dispute; its reversal uses dispute-won:<id>. */
const disputeKey = (disputeId: string) => `dispute:${disputeId}`;

async function takeForDispute(db: Tx, payment: Payment, input: DisputeInput): Promise<bigint> {
  const existing = await db.ledgerEntry.findUnique({ where: { teamId_idempotencyKey: { teamId: payment.teamId, idempotencyKey: disputeKey(input.disputeId) } } });
  if (existing) return 0n;
  const total = await paymentCredits(db, payment);
  const disputed = input.amountCents > payment.amountCents ? payment.amountCents : input.amountCents;
  const wanted = (total * disputed) / payment.amountCents;
  const left = total - (await creditsTakenBack(db, payment));
  const amount = wanted < left ? wanted : left;
  if (amount <= 0n) return 0n;
  await clawbackCredits({
    db,
    teamId: payment.teamId,
    amount,
    kind: "DISPUTE",
    idempotencyKey: disputeKey(input.disputeId),
    paymentId: payment.id,
    referenceType: "stripe_dispute",
    referenceId: input.disputeId,
    description: "Payment disputed: credits held back",
  });
  return amount;
}

async function lockDisputed(db: Tx, input: DisputeInput): Promise<Payment | null> {
  const payment = await lockPaymentForCharge(db, { chargeId: input.chargeId, paymentIntentId: input.paymentIntentId });
  if (payment && input.currency.toLowerCase() !== payment.currency) {
    console.error(`[creditdesk] dispute ${input.disputeId} is in ${input.currency}, payment ${payment.id} in ${payment.currency}; ignored`);
    return null;
  }
  if (payment?.status === "PENDING") throw new BillingError("CONFLICT", `payment ${payment.id} is disputed before it was fulfilled; retry later`);
  return payment;
}

/** charge.dispute.created: takes back the disputed share of the payment's credits (the balance may go negative). */
export async function recordDispute({ db, input }: { db: Tx; input: DisputeInput }): Promise<DisputeResult> {
  const payment = await lockDisputed(db, input);
  if (!payment) return { outcome: "not_ours", payment: null, credits: 0n };
  if (payment.succeededAt === null) return { outcome: "not_credited", payment, credits: 0n };
  const taken = await takeForDispute(db, payment, input);
  // A late "created" after the dispute was already won leaves the payment as the win left it.
  const won = await db.ledgerEntry.findUnique({ where: { teamId_idempotencyKey: { teamId: payment.teamId, idempotencyKey: `dispute-won:${input.disputeId}` } } });
  const updated = won ? payment : await db.payment.update({ where: { id: payment.id }, data: { status: "DISPUTED", stripeCharge: payment.stripeCharge ?? input.chargeId } });
  return { outcome: taken > 0n ? "taken_back" : "nothing_to_do", payment: updated, credits: taken };
}

/**
 * charge.dispute.closed: a dispute won (or an inquiry closed without a chargeback) gives the credits back as a
 * DISPUTE_REVERSAL; a lost one keeps them taken. Works when the closing event arrives before the opening one.
 */
export async function closeDispute({ db, input, status }: { db: Tx; input: DisputeInput; status: string }): Promise<DisputeResult> {
  const payment = await lockDisputed(db, input);
  if (!payment) return { outcome: "not_ours", payment: null, credits: 0n };
  if (payment.succeededAt === null) return { outcome: "not_credited", payment, credits: 0n };
  await takeForDispute(db, payment, input);
  if (status === "lost") {
    const updated = await db.payment.update({ where: { id: payment.id }, data: { status: "DISPUTED" } });
    return { outcome: "nothing_to_do", payment: updated, credits: 0n };
  }
  const taken = await db.ledgerEntry.findUnique({ where: { teamId_idempotencyKey: { teamId: payment.teamId, idempotencyKey: disputeKey(input.disputeId) } } });
  let given = 0n;
  if (taken && taken.amount < 0n) {
    const r = await creditCredits({
      db,
      teamId: payment.teamId,
      amount: -taken.amount,
      kind: "DISPUTE_REVERSAL",
      idempotencyKey: `dispute-won:${input.disputeId}`,
      paymentId: payment.id,
      referenceType: "stripe_dispute",
      referenceId: input.disputeId,
      description: "Dispute closed in your favour: credits returned",
    });
    if (!r.duplicate) given = -taken.amount;
  }
  const status2 = payment.refundedCents >= payment.amountCents ? "REFUNDED" : payment.refundedCents > 0n ? "PARTIALLY_REFUNDED" : "SUCCEEDED";
  const updated = await db.payment.update({ where: { id: payment.id }, data: { status: status2 } });
  return { outcome: given > 0n ? "given_back" : "nothing_to_do", payment: updated, credits: given };
}
