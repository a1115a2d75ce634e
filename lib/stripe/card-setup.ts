import type Stripe from "stripe";
import type { Db } from "../db/client";
import { BillingError } from "../billing/errors";
import { callStripe } from "./client";
import { getSavedCard, type SavedCard } from "./saved-card";

/** The team's Stripe customer, made on first need (one per team: Stripe idempotency key and a conditional update). */
export async function ensureStripeCustomer({ db, stripe, team, email }: { db: Db; stripe: Stripe; team: { id: string; name: string; stripeCustomerId: string | null }; email: string | null }): Promise<string> {
  if (team.stripeCustomerId) return team.stripeCustomerId;
  const customer = await callStripe("creating the customer", () =>
    stripe.customers.create({ name: team.name, ...(email ? { email } : {}), metadata: { team_id: team.id } }, { idempotencyKey: `team-customer:${team.id}` }),
  );
  await db.team.updateMany({ where: { id: team.id, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  const saved = await db.team.findUniqueOrThrow({ where: { id: team.id }, select: { stripeCustomerId: true } });
  return saved.stripeCustomerId ?? customer.id;
}

/**
 * "Add a card" for Buy Credit and auto top-up: a Checkout Session in setup mode for the team's customer, on Stripe's
 * hosted page (no card data touches Creditdesk). Stripe sends the person back to /buy-credit/card-saved.
 */
export async function startCardSetup({
  db,
  stripe,
  team,
  email,
  appUrl,
}: {
  db: Db;
  stripe: Stripe;
  team: { id: string; slug: string; name: string; stripeCustomerId: string | null };
  email: string | null;
  appUrl: string;
}): Promise<{ url: string }> {
  const customer = await ensureStripeCustomer({ db, stripe, team, email });
  const base = `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/buy-credit`;
  const session = await callStripe("starting card setup", () =>
    stripe.checkout.sessions.create({
      mode: "setup",
      customer,
      currency: "usd",
      allowed_payment_method_types: ["card"],
      metadata: { team_id: team.id, kind: "card_setup" },
      success_url: `${base}/card-saved?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}?card=canceled`,
    } as Stripe.Checkout.SessionCreateParams),
  );
  if (!session.url) throw new BillingError("STRIPE_UNAVAILABLE", "Stripe did not return a page to add the card on. Nothing was saved; please try again.");
  return { url: session.url };
}

/**
 * Back from card setup: the session must be this team's and complete; its card becomes the customer's default, which
 * Buy Credit and auto top-up charge. Returns the saved card, or null when the session did not finish.
 */
export async function finishCardSetup({ db, stripe, teamId, sessionId }: { db: Db; stripe: Stripe; teamId: string; sessionId: string }): Promise<SavedCard | null> {
  const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { stripeCustomerId: true } });
  const session = await callStripe("reading card setup", () => stripe.checkout.sessions.retrieve(sessionId, { expand: ["setup_intent"] }));
  const customer = typeof session.customer === "string" ? session.customer : (session.customer?.id ?? null);
  if (session.mode !== "setup" || session.metadata?.team_id !== teamId || !customer || customer !== team.stripeCustomerId) {
    throw new BillingError("NOT_FOUND", "That card setup does not belong to this team.");
  }
  const seti = session.setup_intent && typeof session.setup_intent === "object" ? session.setup_intent : null;
  const pm = seti?.status === "succeeded" ? (typeof seti.payment_method === "string" ? seti.payment_method : (seti.payment_method?.id ?? null)) : null;
  if (session.status !== "complete" || !pm) return null;
  await callStripe("saving the default card", () => stripe.customers.update(customer, { invoice_settings: { default_payment_method: pm } }));
  return getSavedCard({ stripe, customerId: customer });
}
