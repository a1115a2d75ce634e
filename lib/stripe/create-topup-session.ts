import type Stripe from "stripe";
import { type Actor, requirePermission } from "../auth/permissions";
import type { Db } from "../db/client";
import type { Payment } from "../db/generated/client";
import { BillingError } from "../billing/errors";
import { formatCents, formatCredits } from "../billing/money";
import { attachCheckoutSession } from "../billing/topups/attach-checkout-session";
import { closeTopUp } from "../billing/topups/close-top-up";
import { PAYMENT_METHOD_LABELS } from "../billing/topups/payment-methods";
import { type StartTopUpInput, startTopUp } from "../billing/topups/start-top-up";
import { callStripe } from "./client";

export type CheckoutUi = "embedded" | "hosted";

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
  stripe,
  team,
  actorUserId,
  customerEmail,
  input,
  ui,
  appUrl,
}: {
  db: Db;
  stripe: Stripe;
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
    const s = await callStripe("retrieving a checkout session", () => stripe.checkout.sessions.retrieve(payment.stripeCheckoutSession!));
    if (s.status !== "open") throw new BillingError("CONFLICT", "That checkout has already ended. Start a new top-up.");
    return { payment, sessionId: s.id, ui: s.ui_mode === "embedded_page" ? "embedded" : "hosted", clientSecret: s.client_secret, url: s.url, couponCredits: started.couponCredits };
  }

  const base = appUrl.replace(/\/+$/, "");
  const returnUrl = `${base}/t/${encodeURIComponent(team.slug)}/top-up/return?session_id={CHECKOUT_SESSION_ID}`;
  const credits = payment.credits + payment.bonusCredits + started.couponCredits;
  const meta = { team_id: team.id, payment_id: payment.id, credits: payment.credits.toString(), kind: "topup" };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: "payment",
    ui_mode: ui === "embedded" ? "embedded_page" : "hosted_page",
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: payment.currency,
          unit_amount: Number(payment.amountCents),
          product_data: {
            name: `${formatCredits(credits)} credits`,
            description: `Creditdesk top-up of ${formatCents(payment.amountCents, payment.currency)}${credits !== payment.credits ? " including promo credits" : ""}`,
          },
        },
      },
    ],
    allowed_payment_method_types: [started.method],
    ...(started.method === "wechat_pay" ? { payment_method_options: { wechat_pay: { client: "web" } } } : {}),
    client_reference_id: payment.id,
    metadata: meta,
    payment_intent_data: { metadata: { team_id: team.id, payment_id: payment.id }, description: `Creditdesk top-up (${PAYMENT_METHOD_LABELS[started.method]})` },
    ...(team.stripeCustomerId ? { customer: team.stripeCustomerId } : { customer_creation: "always" as const, ...(customerEmail ? { customer_email: customerEmail } : {}) }),
    expires_at: Math.floor(Date.now() / 1000) + SESSION_LIFETIME_S,
    ...(ui === "embedded" ? { return_url: returnUrl } : { success_url: returnUrl, cancel_url: `${base}/t/${encodeURIComponent(team.slug)}/top-up?canceled=${payment.id}` }),
  };

  let session: Stripe.Checkout.Session;
  try {
    session = await callStripe("creating a checkout session", () => stripe.checkout.sessions.create(params, { idempotencyKey: `topup-session:${payment.id}` }));
  } catch (e) {
    await closeTopUp({ db, paymentId: payment.id, status: "FAILED", failureMessage: e instanceof BillingError ? e.message : "The checkout could not be started." });
    throw e;
  }
  const attached = await attachCheckoutSession({ db, paymentId: payment.id, sessionId: session.id });
  return { payment: attached, sessionId: session.id, ui, clientSecret: session.client_secret, url: session.url, couponCredits: started.couponCredits };
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
