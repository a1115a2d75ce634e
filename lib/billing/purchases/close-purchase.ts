import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { recordAutoTopUpFailure } from "../auto-top-up/record-auto-top-up-failure";
import { withTx } from "../with-tx";

/**
 * Ends a pending Buy Credit or auto top-up payment that was never charged (no saved card, Stripe unreachable before
 * the charge, the person gave up on 3-D Secure). An auto top-up's failure is recorded (and may turn it off).
 */
export async function closePurchase({
  db,
  paymentId,
  status,
  failureMessage,
  transient = false,
}: {
  db: Tx;
  paymentId: string;
  status: "FAILED" | "CANCELED";
  failureMessage: string;
  transient?: boolean;
}): Promise<{ payment: Payment | null; closed: boolean }> {
  return withTx(db, async (tx) => {
    const closed = await tx.payment.updateManyAndReturn({
      where: { id: paymentId, status: "PENDING", kind: { in: ["PURCHASE", "AUTO_TOPUP"] } },
      data: { status, failureMessage: failureMessage.slice(0, 500) },
    });
    const payment = closed[0];
    if (!payment) return { payment: await tx.payment.findUnique({ where: { id: paymentId } }), closed: false };
    if (payment.kind === "AUTO_TOPUP") await recordAutoTopUpFailure({ db: tx, teamId: payment.teamId, paymentId, reason: failureMessage, transient });
    return { payment, closed: true };
  });
}
