import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { BillingError } from "../errors";
import { formatCents, formatCredits } from "../money";
import { attachCheckoutSession } from "./attach-checkout-session";
import type { CheckoutPage, CheckoutUi, TopUpCheckoutGateway } from "./checkout-session";
import { closeTopUp } from "./close-top-up";
import { PAYMENT_METHOD_WORDS } from "../words";
import { type StartTopUpInput, startTopUp } from "./start-top-up";

export type { CheckoutUi } from "./checkout-session";

export type TopUpCheckout = {
  payment: Payment;
  sessionId: string;
  ui: CheckoutUi;
  /** For embedded Checkout (Stripe.js). */
  clientSecret: string | null;
  /** For the hosted page. */
  url: string | null;
  couponCredits: bigint;
};

/** Stripe allows a Checkout Session to stay open from 30 minutes to 24 hours. */
const SESSION_LIFETIME_S = 60 * 60;

/**
 * Starts a top-up: the pending payment (priced and validated by the billing core), then a Checkout Session in
 * payment mode for exactly that amount and method, embedded (Stripe.js) or hosted. If Stripe cannot be reached the
 * payment is closed as failed and its coupon released: nothing is charged and nothing credited.
 */
export async function createTopUpCheckout({
  db,
  gateway,
  team,
  actorUserId,
  customerEmail,
  input,
  ui,
  appUrl,
}: {
  db: Db;
  gateway: TopUpCheckoutGateway;
  team: { id: string; slug: string; stripeCustomerId: string | null };
  actorUserId: string | null;
  customerEmail?: string | null;
  input: StartTopUpInput;
  ui: CheckoutUi;
  appUrl: string;
}): Promise<TopUpCheckout> {
  const started = await startTopUp({ db, teamId: team.id, actorUserId, input });
  const { payment } = started;
  if (payment.status !== "PENDING") throw new BillingError("CONFLICT", "That checkout has already ended. Start a new top-up.");

  if (payment.stripeCheckoutSession) {
    // A retried request: hand back the checkout made the first time.
    const s = await gateway.readCheckoutPage(payment.stripeCheckoutSession);
    if (!s.open) throw new BillingError("CONFLICT", "That checkout has already ended. Start a new top-up.");
    return { payment, sessionId: s.sessionId, ui: s.ui, clientSecret: s.clientSecret, url: s.url, couponCredits: started.couponCredits };
  }

  const base = appUrl.replace(/\/+$/, "");
  const credits = payment.credits + payment.bonusCredits + started.couponCredits;
  const promo = credits !== payment.credits ? " including promo credits" : "";
  let session: CheckoutPage;
  try {
    session = await gateway.openTopUpCheckout({
      ui,
      amountCents: payment.amountCents,
      currency: payment.currency,
      method: started.method,
      productName: `${formatCredits(credits)} credits`,
      productDescription: `Creditdesk top-up of ${formatCents(payment.amountCents, payment.currency)}${promo}`,
      clientReferenceId: payment.id,
      metadata: { team_id: team.id, payment_id: payment.id, credits: payment.credits.toString(), kind: "topup" },
      paymentIntentMetadata: { team_id: team.id, payment_id: payment.id },
      paymentIntentDescription: `Creditdesk top-up (${PAYMENT_METHOD_WORDS[started.method]})`,
      customerId: team.stripeCustomerId,
      customerEmail: customerEmail ?? null,
      expiresAt: new Date(Date.now() + SESSION_LIFETIME_S * 1000),
      returnUrl: `${base}/t/${encodeURIComponent(team.slug)}/top-up/return?session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${base}/t/${encodeURIComponent(team.slug)}/top-up?canceled=${payment.id}`,
      idempotencyKey: `topup-session:${payment.id}`,
    });
  } catch (e) {
    await closeTopUp({
      db,
      paymentId: payment.id,
      status: "FAILED",
      failureMessage: e instanceof BillingError ? e.message : "The checkout could not be started.",
    });
    throw e;
  }
  const attached = await attachCheckoutSession({ db, paymentId: payment.id, sessionId: session.sessionId });
  return { payment: attached, sessionId: session.sessionId, ui, clientSecret: session.clientSecret, url: session.url, couponCredits: started.couponCredits };
}

/**
 * createTopUpCheckout for an actor (billing:write): a signed-in member's top-up is recorded as theirs and, for a team
 * with no Stripe customer yet, Checkout is pre-filled with their email.
 */
export async function createTopUpCheckoutFor({
  actor,
  ...args
}: Omit<Parameters<typeof createTopUpCheckout>[0], "actorUserId" | "customerEmail"> & { actor: Actor }): Promise<TopUpCheckout> {
  requirePermission(actor, "billing:write");
  const userId = actor.kind === "user" ? actor.userId : null;
  const user = userId ? await args.db.user.findUnique({ where: { id: userId }, select: { email: true } }) : null;
  return createTopUpCheckout({ ...args, actorUserId: userId, customerEmail: user?.email ?? null });
}
