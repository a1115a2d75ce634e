import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { BillingError } from "../errors";
import { clawbackCredits } from "../ledger/clawback-credits";
import { creditsTakenBack, lockPaymentForCharge, paymentCredits } from "./lock-payment";

export type RefundInput = {
  chargeId: string;
  paymentIntentId: string | null;
  /** Total refunded on the charge so far (Stripe's amount_refunded), not this refund alone. */
  amountRefundedCents: bigint;
  currency: string;
  metadataPaymentId?: string | null;
  metadataTeamId?: string | null;
};

export type RefundResult = { outcome: "taken_back" | "nothing_to_take" | "not_ours" | "not_credited"; payment: Payment | null; takenNow: bigint };

/**
 * Takes back the credits a refunded payment bought, in proportion to the money returned (rounded down), counting
 * from Stripe's cumulative amount_refunded so repeated and out-of-order events converge. The balance may go
 * negative; spending then stops. In the caller's transaction.
 */
export async function recordRefund({ db, input }: { db: Tx; input: RefundInput }): Promise<RefundResult> {
  const payment = await lockPaymentForCharge(db, input);
  if (!payment) return { outcome: "not_ours", payment: null, takenNow: 0n };
  if (input.currency.toLowerCase() !== payment.currency) {
    console.error(`[creditdesk] refund on ${input.chargeId} is in ${input.currency}, payment ${payment.id} in ${payment.currency}; ignored`);
    return { outcome: "not_ours", payment, takenNow: 0n };
  }
  // Not credited yet: the webhook answers 5xx and Stripe retries once checkout fulfilment has caught up.
  if (payment.status === "PENDING") throw new BillingError("CONFLICT", `payment ${payment.id} is refunded before it was fulfilled; retry later`);
  const refunded = input.amountRefundedCents > payment.amountCents ? payment.amountCents : input.amountRefundedCents;
  const refundedCents = refunded > payment.refundedCents ? refunded : payment.refundedCents;
  const credited = payment.succeededAt !== null;
  let takenNow = 0n;
  if (credited) {
    const total = await paymentCredits(db, payment);
    const target = (total * refundedCents) / payment.amountCents;
    const already = await creditsTakenBack(db, payment);
    const delta = target - already;
    if (delta > 0n) {
      await clawbackCredits({
        db,
        teamId: payment.teamId,
        amount: delta,
        kind: "REFUND",
        idempotencyKey: `refund:${payment.id}:${refundedCents}`,
        paymentId: payment.id,
        referenceType: "stripe_charge",
        referenceId: input.chargeId,
        description: `Refund of ${refundedCents === payment.amountCents ? "the whole" : "part of the"} top-up`,
      });
      takenNow = delta;
    }
  }
  const status = payment.status === "DISPUTED" || !credited ? payment.status : refundedCents >= payment.amountCents ? "REFUNDED" : "PARTIALLY_REFUNDED";
  const updated = await db.payment.update({
    where: { id: payment.id },
    data: { refundedCents, status, stripeCharge: payment.stripeCharge ?? input.chargeId },
  });
  return { outcome: !credited ? "not_credited" : takenNow > 0n ? "taken_back" : "nothing_to_take", payment: updated, takenNow };
}
