import type Stripe from "stripe";
import type { Db } from "../db/client";
import { ensureStripeCustomer } from "../billing/cards/ensure-stripe-customer";
import { getSavedCard } from "../billing/cards/get-saved-card";
import { upsertStripeInvoice } from "../billing/invoices/upsert-stripe-invoice";
import { applySubscriptionState } from "../billing/subscriptions/apply-subscription-state";
import { stripeGateway } from "../stripe/gateway";
import { toStripeInvoiceSnapshot } from "../stripe/purchase-event-handlers";
import { subscriptionInvoiceSnapshotOf, toSubscriptionSnapshot } from "../stripe/subscription-gateway";

const LIVE = new Set(["active", "trialing", "past_due"]);

/**
 * The demo's Stripe price for a plan, found by its lookup key (e.g. pro_monthly) or created at the plan's monthly amount
 * with a product of its own. The demo's own helper: lib/stripe/subscription-gateway.ts may grow a general one.
 */
export async function demoPlanPrice(stripe: Stripe, plan: { name: string; monthlyPriceCents: bigint; stripeMonthlyLookup: string }): Promise<Stripe.Price> {
  const found = await stripe.prices.list({ lookup_keys: [plan.stripeMonthlyLookup], active: true, limit: 1 });
  if (found.data[0]) return found.data[0];
  const product = await stripe.products.create({ name: `Creditdesk ${plan.name}` });
  return stripe.prices.create({
    product: product.id,
    currency: "usd",
    unit_amount: Number(plan.monthlyPriceCents),
    recurring: { interval: "month" },
    lookup_key: plan.stripeMonthlyLookup,
  });
}

/**
 * Puts a demo team on a plan through a real Stripe subscription (the emulator): a customer with a saved Visa, the plan's
 * monthly price, a subscription charged to that card; its state and first invoice are applied with the functions the
 * webhook uses (applySubscriptionState: the plan credits; upsertStripeInvoice: the invoice on Invoices), so the demo does
 * not wait for the webhook, whose later deliveries change nothing. Idempotent: a live subscription of the customer is
 * reused, and a team already on a Stripe subscription for the current period is left alone. The emulator keeps its
 * state in memory, so after a restart that subscription exists only in the database until its period ends.
 */
export async function seedDemoSubscription({
  db,
  stripe,
  slug,
  planId,
  now = new Date(),
}: {
  db: Db;
  stripe: Stripe;
  slug: string;
  planId: string;
  now?: Date;
}): Promise<"created" | "present" | "skipped"> {
  const [team, plan] = await Promise.all([
    db.team.findUnique({
      where: { slug },
      select: { id: true, name: true, stripeCustomerId: true, subscription: { select: { stripeSubscriptionId: true, currentPeriodEnd: true } } },
    }),
    db.plan.findUnique({ where: { id: planId } }),
  ]);
  if (!team || !plan?.stripeMonthlyLookup) return "skipped";
  if (team.subscription?.stripeSubscriptionId && team.subscription.currentPeriodEnd > now && !team.stripeCustomerId) return "present";

  const gateway = stripeGateway(stripe);
  const customerId = await ensureStripeCustomer({ db, gateway, team, email: null });
  let card = (await getSavedCard({ gateway, customerId }))?.paymentMethodId ?? null;
  if (!card) {
    card = (await stripe.paymentMethods.attach("pm_card_visa", { customer: customerId })).id;
    await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: card } });
  }
  const price = await demoPlanPrice(stripe, { name: plan.name, monthlyPriceCents: plan.monthlyPriceCents, stripeMonthlyLookup: plan.stripeMonthlyLookup });
  const existing = (await stripe.subscriptions.list({ customer: customerId, status: "all", limit: 100 })).data.find((s) => LIVE.has(s.status));
  const subscription =
    existing ??
    (await stripe.subscriptions.create(
      { customer: customerId, items: [{ price: price.id }], default_payment_method: card, metadata: { team_id: team.id } },
      { idempotencyKey: `demo-subscription:${team.id}:${customerId}` },
    ));
  const latest = subscription.latest_invoice;
  const inv = latest ? await stripe.invoices.retrieve(typeof latest === "string" ? latest : latest.id) : null;
  const snapshot = toSubscriptionSnapshot(await stripe.subscriptions.retrieve(subscription.id));
  const invoice = inv ? await subscriptionInvoiceSnapshotOf(stripe, inv) : null;
  await db.$transaction(async (tx) => {
    if (inv) await upsertStripeInvoice({ db: tx, snapshot: toStripeInvoiceSnapshot(inv) });
    await applySubscriptionState({ db: tx, subscription: snapshot, invoice, now });
  });
  return existing ? "present" : "created";
}
