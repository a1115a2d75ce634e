import type Stripe from "stripe";
import type { Db } from "../db/client";
import type { Payment } from "../db/generated/client";
import { BillingError } from "../billing/errors";
import { parsePurchase } from "../billing/purchases/parse-purchase";
import { type SettleOutcome, settlePurchase } from "../billing/purchases/settle-purchase";
import { startPurchase } from "../billing/purchases/start-purchase";
import { assertCanBuyCredits } from "../billing/plans/assert-can-buy-credits";
import { chargeSavedCard } from "./charge-saved-card";
import { callStripe } from "./client";
import { retrievePaymentIntent } from "./payment-intent-gateway";
import { getSavedCard, type SavedCard } from "./saved-card";

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
  stripe,
  team,
  actorUserId,
  input,
  returnUrl,
}: {
  db: Db;
  stripe: Stripe;
  team: { id: string; stripeCustomerId: string | null };
  actorUserId: string | null;
  input: { bundle?: unknown; amount?: unknown; idempotencyKey: unknown };
  returnUrl: string;
}): Promise<BuyCreditsResult> {
  await assertCanBuyCredits({ db, teamId: team.id });
  parsePurchase(input);
  const card = await getSavedCard({ stripe, customerId: team.stripeCustomerId });
  if (!card || !team.stripeCustomerId) {
    throw new BillingError("NO_PAYMENT_METHOD", "This team has no saved card to charge. Add a card, or pay for this amount with Checkout on Top Up.", { field: "paymentMethod" });
  }
  const { payment } = await startPurchase({ db, teamId: team.id, actorUserId, input });
  if (payment.status !== "PENDING") return { outcome: payment.succeededAt ? "already_credited" : "closed", payment, card, redirectUrl: null };

  const intent = payment.stripePaymentIntent
    ? await retrievePaymentIntent(stripe, payment.stripePaymentIntent)
    : await chargeSavedCard({ stripe, payment, customerId: team.stripeCustomerId, paymentMethodId: card.paymentMethodId });
  const settled = await settlePurchase({ db, intent });
  const current = settled.payment ?? payment;
  if (settled.outcome !== "requires_action") return { outcome: settled.outcome, payment: current, card, redirectUrl: null };

  // Off-session charges cannot show 3-D Secure; confirm again with the person present to get Stripe's page.
  const confirmed = await callStripe("starting card authentication", () =>
    stripe.paymentIntents.confirm(intent.id, { payment_method: card.paymentMethodId, return_url: returnUrl }, { idempotencyKey: `purchase-pi-confirm:${payment.id}` }),
  );
  const url = confirmed.next_action?.redirect_to_url?.url ?? null;
  if (confirmed.status !== "requires_action" || !url) {
    const again = await settlePurchase({ db, intent: await retrievePaymentIntent(stripe, intent.id) });
    return { outcome: again.outcome, payment: again.payment ?? current, card, redirectUrl: null };
  }
  return { outcome: "requires_action", payment: current, card, redirectUrl: url };
}
