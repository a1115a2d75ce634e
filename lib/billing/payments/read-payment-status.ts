import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { getBalance } from "../ledger/get-balance";
import type { CheckoutGateway } from "../topups/checkout-session";
import { fulfilCheckout } from "../topups/fulfil-checkout";
import { getTeamPayment } from "./get-payment";
import type { PaymentView } from "./payment-view";

export type PaymentStatusView = { payment: PaymentView; balance: bigint };

/**
 * One of the actor's team's payments and the team's balance, as the return page polls them (billing:read). With
 * `refreshWith`, a pending payment's checkout is re-read from Stripe and fulfilled if paid (the same idempotent step
 * as the webhook), so credits arrive even when a webhook is late.
 */
export async function readPaymentStatus({
  db,
  actor,
  paymentId,
  refreshWith,
}: {
  db: Tx;
  actor: Actor;
  paymentId: string;
  refreshWith?: CheckoutGateway;
}): Promise<PaymentStatusView> {
  requirePermission(actor, "billing:read");
  const teamId = actor.teamId;
  let payment = await getTeamPayment({ db, teamId, paymentId });
  if (!payment) throw new BillingError("NOT_FOUND", "That payment does not exist.");
  if (payment.status === "pending" && refreshWith) {
    const row = await db.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { stripeCheckoutSession: true } });
    if (row.stripeCheckoutSession) {
      await fulfilCheckout({ db, sessionId: row.stripeCheckoutSession, gateway: refreshWith });
      payment = (await getTeamPayment({ db, teamId, paymentId })) ?? payment;
    }
  }
  const { balance } = await getBalance({ db, teamId });
  return { payment, balance };
}
