import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { isBillingError } from "../errors";
import { getBalance } from "../ledger/get-balance";
import { getTeamPayment } from "../payments/get-payment";
import type { PaymentView } from "../payments/payment-view";
import type { CheckoutGateway } from "./checkout-session";
import { fulfilCheckout } from "./fulfil-checkout";

export type CheckoutReturn =
  /** Not a checkout of the actor's team (or not a session id at all): nothing was read from Stripe. */
  | { found: false }
  /** `stripeDown`: Stripe could not be reached; the webhook (or the page's polling) will finish the job. */
  | { found: true; payment: PaymentView; balance: bigint; stripeDown: boolean };

const SESSION_ID = /^cs_[A-Za-z0-9_]{1,250}$/;

/**
 * Where Checkout sends the customer back (billing:read): fulfils the session here too (idempotently, like the
 * webhook), so the credits show at once, then reads the payment and the balance. Only the team's own checkouts: a
 * session id from elsewhere finds nothing and never reaches Stripe.
 */
export async function returnFromCheckout({
  db,
  actor,
  sessionId,
  gateway,
}: {
  db: Tx;
  actor: Actor;
  sessionId: unknown;
  gateway: CheckoutGateway;
}): Promise<CheckoutReturn> {
  requirePermission(actor, "billing:read");
  const teamId = actor.teamId;
  if (typeof sessionId !== "string" || !SESSION_ID.test(sessionId)) return { found: false };
  const row = await db.payment.findFirst({ where: { teamId, stripeCheckoutSession: sessionId }, select: { id: true } });
  if (!row) return { found: false };
  let stripeDown = false;
  try {
    await fulfilCheckout({ db, sessionId, gateway });
  } catch (e) {
    if (!isBillingError(e) || e.code !== "STRIPE_UNAVAILABLE") throw e;
    stripeDown = true;
  }
  const payment = await getTeamPayment({ db, teamId, paymentId: row.id });
  if (!payment) return { found: false };
  const { balance } = await getBalance({ db, teamId });
  return { found: true, payment, balance, stripeDown };
}
