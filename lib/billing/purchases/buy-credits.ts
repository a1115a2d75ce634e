import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import type { CardGateway, SavedCard } from "../cards/card-port";
import { getSavedCard } from "../cards/get-saved-card";
import { BillingError } from "../errors";
import { assertCanBuyCredits } from "../plans/assert-can-buy-credits";
import { chargeSavedCard } from "./charge-saved-card";
import { parsePurchase } from "./parse-purchase";
import type { PaymentIntentGateway } from "./payment-intent";
import { type SettleOutcome, settlePurchase } from "./settle-purchase";
import { startPurchase } from "./start-purchase";

export type BuyCreditsResult = {
  outcome: SettleOutcome;
  payment: Payment;
  card: SavedCard;
  /** Where to send the person to authenticate the charge (3-D Secure), when outcome is requires_action. */
  redirectUrl: string | null;
};

/**
 * Buy Credit: checks the plan and the amount, finds the team's saved card (none: NO_PAYMENT_METHOD, so the page offers
 * Checkout on Top Up), writes the pending PURCHASE payment, charges the card off-session and settles the payment from
 * Stripe's answer. A card that needs authentication is confirmed again on-session with `returnUrl`, and the person is
 * sent to Stripe's page; the return page settles it. Credits land exactly once (settlePurchase). A retried request
 * with the same idempotency key finds the same payment and charge.
 */
export async function buyCredits({
  db,
  gateway,
  team,
  actorUserId,
  input,
  returnUrl,
}: {
  db: Db;
  gateway: CardGateway & PaymentIntentGateway;
  team: { id: string; stripeCustomerId: string | null };
  actorUserId: string | null;
  input: { bundle?: unknown; amount?: unknown; idempotencyKey: unknown };
  returnUrl: string;
}): Promise<BuyCreditsResult> {
  await assertCanBuyCredits({ db, teamId: team.id });
  parsePurchase(input);
  const card = await getSavedCard({ gateway, customerId: team.stripeCustomerId });
  if (!card || !team.stripeCustomerId) {
    throw new BillingError("NO_PAYMENT_METHOD", "This team has no saved card to charge. Add a card, or pay for this amount with Checkout on Top Up.", {
      field: "paymentMethod",
    });
  }
  const { payment } = await startPurchase({ db, teamId: team.id, actorUserId, input });
  if (payment.status !== "PENDING") return { outcome: payment.succeededAt ? "already_credited" : "closed", payment, card, redirectUrl: null };

  const intent = payment.stripePaymentIntent
    ? await gateway.retrievePaymentIntent(payment.stripePaymentIntent)
    : await chargeSavedCard({ gateway, payment, customerId: team.stripeCustomerId, paymentMethodId: card.paymentMethodId });
  const settled = await settlePurchase({ db, intent });
  const current = settled.payment ?? payment;
  if (settled.outcome !== "requires_action") return { outcome: settled.outcome, payment: current, card, redirectUrl: null };

  // Off-session charges cannot show 3-D Secure; confirm again with the person present to get Stripe's page.
  const confirmed = await gateway.confirmOnSession(intent.id, {
    paymentMethodId: card.paymentMethodId,
    returnUrl,
    idempotencyKey: `purchase-pi-confirm:${payment.id}`,
  });
  const url = confirmed.redirectUrl;
  if (confirmed.status !== "requires_action" || !url) {
    const again = await settlePurchase({ db, intent: await gateway.retrievePaymentIntent(intent.id) });
    return { outcome: again.outcome, payment: again.payment ?? current, card, redirectUrl: null };
  }
  return { outcome: "requires_action", payment: current, card, redirectUrl: url };
}
