import type { Tx } from "../../db/client";
import type { LedgerEntry, Payment, PaymentMoneyFact } from "../../db/generated/client";
import type { CreditSource, PaymentStatus } from "../../db/generated/enums";
import { clawbackCredits } from "../ledger/clawback-credits";
import { creditCredits } from "../ledger/credit-credits";
import { formatCents } from "../money";
import { auditPaymentMoney } from "./audit-payment";
import { disputeHolds, refundCounts } from "./money-facts";

/** Where a payment's money stands: what was paid, what went back, what a dispute holds, in the payment's minor unit. */
export type MoneyPosition = { paidCents: bigint; refundedCents: bigint; heldCents: bigint };

// Ledger kinds that move credits back and forth after a payment; the entries that credited it are left as they are.
const TAKE_BACK_KINDS = ["REFUND", "DISPUTE", "DISPUTE_REVERSAL", "REFUND_REVERSAL"] as const;
const sourceOfPayment: Record<Payment["kind"], CreditSource> = { TOPUP: "TOPUP", PURCHASE: "PURCHASE", AUTO_TOPUP: "AUTO_TOPUP" };

/**
 * The money position a set of facts describes. Refunded is the larger of the refunds known one by one and the
 * charge's own amount_refunded less the refunds known to have failed (a charge.refunded body lists no refunds); a
 * dispute can only hold what was not refunded. Both are capped at what was paid.
 */
export function moneyPosition(
  paidCents: bigint,
  currency: string,
  facts: Pick<PaymentMoneyFact, "kind" | "amountCents" | "currency" | "status">[],
): MoneyPosition {
  let refunds = 0n;
  let failedRefunds = 0n;
  let chargeRefunded = 0n;
  let disputed = 0n;
  for (const f of facts) {
    if (f.currency !== currency) continue;
    if (f.kind === "refund") {
      if (refundCounts(f.status)) refunds += f.amountCents;
      else failedRefunds += f.amountCents;
    } else if (f.kind === "charge") chargeRefunded += f.amountCents;
    else if (f.kind === "dispute" && disputeHolds(f.status)) disputed += f.amountCents;
  }
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const fromCharge = chargeRefunded - failedRefunds;
  const refundedCents = min(paidCents, refunds > fromCharge ? refunds : fromCharge);
  const heldCents = min(paidCents - refundedCents, disputed);
  return { paidCents, refundedCents, heldCents };
}

/** The status a paid payment shows for its money position; one never paid keeps its own. */
function statusFor(payment: Payment, pos: MoneyPosition): PaymentStatus {
  if (payment.succeededAt === null) return payment.status;
  if (pos.heldCents > 0n) return "DISPUTED";
  if (pos.refundedCents >= pos.paidCents) return "REFUNDED";
  if (pos.refundedCents > 0n) return "PARTIALLY_REFUNDED";
  return "SUCCEEDED";
}

export type ReconcileResult = { payment: Payment; position: MoneyPosition; delta: bigint; entry: LedgerEntry | null };

/**
 * Brings a payment's credits to what its money position says the team should hold, with one ledger entry for the
 * difference: credits bought × (paid − refunded − held) / paid, rounded in the team's favour; nothing for a payment
 * never paid. The payment must be locked (FOR UPDATE) by the caller, in the caller's transaction. Called whenever a
 * fact changes and when the payment is credited, so any order of Stripe's events ends at the same position.
 */
export async function reconcilePaymentCredits({ db, payment }: { db: Tx; payment: Payment }): Promise<ReconcileResult> {
  const facts = await db.paymentMoneyFact.findMany({ where: { paymentId: payment.id } });
  const position = moneyPosition(payment.amountCents, payment.currency, facts);
  const credited = payment.succeededAt !== null;
  const entries = await db.ledgerEntry.findMany({ where: { teamId: payment.teamId, paymentId: payment.id }, select: { amount: true, kind: true } });
  const isTakeBack = (k: string) => (TAKE_BACK_KINDS as readonly string[]).includes(k);
  // What the payment brought is what its fulfilment credited (bought, bonus, a code's grant), not what it might have.
  const total = credited ? entries.filter((e) => !isTakeBack(e.kind) && e.amount > 0n).reduce((acc, e) => acc + e.amount, 0n) : 0n;
  const target = credited ? (total * (position.refundedCents + position.heldCents)) / payment.amountCents : 0n;
  const moves = entries.filter((e) => isTakeBack(e.kind));
  const taken = -moves.reduce((acc, m) => acc + m.amount, 0n);
  const delta = target - taken;
  // Which side moved names the entry: the refunds' share against what refund entries have taken so far.
  const refundTarget = credited ? (total * position.refundedCents) / payment.amountCents : 0n;
  const refundTaken = -moves.filter((m) => m.kind === "REFUND" || m.kind === "REFUND_REVERSAL").reduce((acc, m) => acc + m.amount, 0n);

  let entry: LedgerEntry | null = null;
  let moved: "refund" | "dispute" | "refund_failed" | "dispute_closed" | null = null;
  if (delta !== 0n) {
    const common = {
      db,
      teamId: payment.teamId,
      paymentId: payment.id,
      // Each change of position is the next entry of this payment; the payment lock orders them.
      idempotencyKey: `money:${payment.id}:${moves.length + 1}`,
      referenceType: "payment",
      referenceId: payment.id,
      metadata: { paidCents: position.paidCents.toString(), refundedCents: position.refundedCents.toString(), heldCents: position.heldCents.toString() },
    };
    const paid = formatCents(payment.amountCents, payment.currency);
    if (delta > 0n) {
      const refund = refundTarget > refundTaken;
      moved = refund ? "refund" : "dispute";
      const r = await clawbackCredits({
        ...common,
        amount: delta,
        kind: refund ? "REFUND" : "DISPUTE",
        description: refund
          ? `Refund of ${formatCents(position.refundedCents, payment.currency)} of the ${paid} payment`
          : `Payment of ${paid} disputed: credits held back`,
      });
      entry = r.entry;
    } else {
      const refundFailed = refundTarget < refundTaken;
      moved = refundFailed ? "refund_failed" : "dispute_closed";
      const r = await creditCredits({
        ...common,
        amount: -delta,
        kind: refundFailed ? "REFUND_REVERSAL" : "DISPUTE_REVERSAL",
        source: refundFailed ? sourceOfPayment[payment.kind] : undefined,
        description: refundFailed
          ? `A refund of the ${paid} payment did not go through: credits returned`
          : `Dispute of the ${paid} payment closed: credits returned`,
      });
      entry = r.entry;
    }
  }

  const status = statusFor(payment, position);
  if (credited && moved === null && position.refundedCents !== payment.refundedCents)
    moved = position.refundedCents > payment.refundedCents ? "refund" : "refund_failed";
  if (moved) await auditPaymentMoney(db, { payment, status, position, creditsDelta: delta, kind: moved });
  const updated =
    status !== payment.status || position.refundedCents !== payment.refundedCents
      ? await db.payment.update({ where: { id: payment.id }, data: { status, refundedCents: position.refundedCents } })
      : payment;
  return { payment: updated, position, delta, entry };
}
