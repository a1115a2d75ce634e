import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import type { CardGateway } from "../cards/card-port";
import { getSavedCard } from "../cards/get-saved-card";
import { isBillingError } from "../errors";
import { chargeSavedCard } from "../purchases/charge-saved-card";
import { closePurchase } from "../purchases/close-purchase";
import type { PaymentIntentGateway, PaymentIntentSnapshot } from "../purchases/payment-intent";
import { type SettleOutcome, settlePurchase } from "../purchases/settle-purchase";
import { claimAutoTopUp } from "./claim-auto-top-up";

/** A charge in flight longer than this is taken to have lost its process, and is finished by the next run. */
export const STALE_IN_FLIGHT_MS = 10 * 60_000;

/** The ports an auto top-up charges through: the saved card, and PaymentIntents. */
export type AutoTopUpGateway = CardGateway & PaymentIntentGateway;

export type AutoTopUpRun = { outcome: "not_due" | SettleOutcome; payment: Payment | null };

/**
 * One auto top-up attempt for a team: claims the slot (exactly one caller wins, however many debits fire at once),
 * charges the saved card off-session and settles the payment (credits exactly once; a declined card or one that needs
 * authentication turns auto top-up off and tells the owners). A charge left in flight by a crashed process is finished:
 * read back when its PaymentIntent is known, else made with the same Stripe idempotency key, so it is never charged twice.
 */
export async function runAutoTopUp({
  db,
  gateway,
  teamId,
  now = new Date(),
}: {
  db: Db;
  gateway: AutoTopUpGateway;
  teamId: string;
  now?: Date;
}): Promise<AutoTopUpRun> {
  let payment = await claimAutoTopUp({ db, teamId, now });
  if (!payment) {
    const stale = await db.autoTopUp.findFirst({
      where: { teamId, inFlightPaymentId: { not: null }, lastTriggeredAt: { lt: new Date(now.getTime() - STALE_IN_FLIGHT_MS) } },
      select: { inFlightPaymentId: true },
    });
    payment = stale?.inFlightPaymentId ? await db.payment.findFirst({ where: { id: stale.inFlightPaymentId, teamId, status: "PENDING" } }) : null;
    if (!payment) return { outcome: "not_due", payment: null };
  }
  const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { stripeCustomerId: true } });
  try {
    let intent: PaymentIntentSnapshot;
    if (payment.stripePaymentIntent) {
      // Charged before (still processing, or its process died): read that charge. Creating again would charge twice once
      // Stripe has forgotten the create call's idempotency key (after 24 hours), or fail if the default card changed.
      intent = await gateway.retrievePaymentIntent(payment.stripePaymentIntent);
    } else {
      const card = await getSavedCard({ gateway, customerId: team.stripeCustomerId });
      if (!card || !team.stripeCustomerId) {
        const closed = await closePurchase({ db, paymentId: payment.id, status: "FAILED", failureMessage: "There is no saved card to charge." });
        return { outcome: "failed", payment: closed.payment };
      }
      intent = await chargeSavedCard({ gateway, payment, customerId: team.stripeCustomerId, paymentMethodId: card.paymentMethodId });
    }
    const settled = await settlePurchase({ db, intent });
    // A charge that needs the customer present can never finish off-session: cancel it so it cannot complete later.
    if (settled.outcome === "failed" && intent.status === "requires_action") await gateway.cancelPaymentIntent(intent.id).catch(() => null);
    return { outcome: settled.outcome, payment: settled.payment };
  } catch (e) {
    if (!isBillingError(e) || e.code !== "STRIPE_UNAVAILABLE") throw e;
    // A charge exists at Stripe and may still succeed: keep the payment open for the next run rather than fail it.
    if (payment.stripePaymentIntent) return { outcome: "pending", payment };
    const closed = await closePurchase({ db, paymentId: payment.id, status: "FAILED", failureMessage: e.message, transient: true });
    return { outcome: "failed", payment: closed.payment };
  }
}
