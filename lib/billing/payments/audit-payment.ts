import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import type { MoneyPosition } from "./reconcile-payment-credits";

/**
 * The audit row of a payment that has just succeeded and been credited (Top Up, Buy Credit, auto top-up), written in the
 * transaction that credits it, under the payment's lock: once per payment. Who: the person who paid (none for an
 * auto top-up, which the system charges).
 */
export async function auditPaymentSucceeded(tx: Tx, payment: Payment, credits: bigint, was: Payment["status"]): Promise<void> {
  await tx.auditLog.create({
    data: {
      teamId: payment.teamId,
      actorUserId: payment.kind === "AUTO_TOPUP" ? null : payment.createdByUserId,
      action: "payment.succeeded",
      targetType: "payment",
      targetId: payment.id,
      data: {
        kind: payment.kind,
        amountCents: String(payment.amountCents),
        currency: payment.currency,
        credits: String(credits),
        method: payment.method,
        before: { status: was },
        after: { status: payment.status },
      },
    },
  });
}

/**
 * The audit row of a change in a paid payment's money (a refund, a dispute, either undone) with the credits it moved:
 * positive taken back, negative returned. Written by reconcilePaymentCredits in the transaction that moves them.
 */
export async function auditPaymentMoney(
  tx: Tx,
  args: {
    payment: Payment;
    status: Payment["status"];
    position: MoneyPosition;
    creditsDelta: bigint;
    kind: "refund" | "dispute" | "refund_failed" | "dispute_closed";
  },
): Promise<void> {
  const { payment, status, position } = args;
  const action = { refund: "payment.refunded", dispute: "payment.disputed", refund_failed: "payment.refund_failed", dispute_closed: "payment.dispute_closed" }[
    args.kind
  ];
  await tx.auditLog.create({
    data: {
      teamId: payment.teamId,
      action,
      targetType: "payment",
      targetId: payment.id,
      data: {
        amountCents: String(payment.amountCents),
        currency: payment.currency,
        creditsDelta: String(args.creditsDelta),
        heldCents: String(position.heldCents),
        before: { status: payment.status, refundedCents: String(payment.refundedCents) },
        after: { status, refundedCents: String(position.refundedCents) },
      },
    },
  });
}
