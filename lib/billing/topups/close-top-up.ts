import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { releaseRedemption } from "../coupons/release-redemption";
import { withTx } from "../with-tx";

/**
 * Ends a pending top-up that will not be paid (checkout abandoned, expired, failed, or could not be created) and
 * gives back its coupon use. A payment that is no longer pending is left as it is.
 */
export async function closeTopUp({
  db,
  paymentId,
  status,
  failureMessage = null,
}: {
  db: Tx;
  paymentId: string;
  status: "CANCELED" | "EXPIRED" | "FAILED";
  failureMessage?: string | null;
}): Promise<{ payment: Payment | null; closed: boolean }> {
  return withTx(db, async (tx) => {
    const closed = await tx.payment.updateManyAndReturn({ where: { id: paymentId, status: "PENDING" }, data: { status, failureMessage } });
    if (closed[0]) {
      await releaseRedemption({ db: tx, paymentId });
      return { payment: closed[0], closed: true };
    }
    return { payment: await tx.payment.findUnique({ where: { id: paymentId } }), closed: false };
  });
}
