import { syncOverageAllowance } from "../../lib/billing/statements/overage-allowance";
import type Stripe from "stripe";
import type { Db } from "../../lib/db/client";
import { endOfUtcMonth } from "../../lib/billing/config";

/** Puts a team on a plan with a live subscription for the current UTC month (what the subscription webhooks leave). */
export async function putOnPlan(db: Db, teamId: string, planId = "pro", now = new Date()): Promise<void> {
  const currentPeriodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const data = { planId, status: "ACTIVE" as const, currentPeriodStart, currentPeriodEnd: endOfUtcMonth(now) };
  await db.subscription.upsert({ where: { teamId }, create: { teamId, ...data }, update: data });
  await syncOverageAllowance({ db, teamId }); // as the webhook does when it copies a subscription
}

/** A Stripe customer for the team with a saved test card as its default (what card setup leaves). */
export async function saveCard(db: Db, stripe: Stripe, teamId: string, token = "pm_card_visa"): Promise<{ customerId: string; paymentMethodId: string }> {
  const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { stripeCustomerId: true, name: true } });
  const customerId = team.stripeCustomerId ?? (await stripe.customers.create({ name: team.name, metadata: { team_id: teamId } })).id;
  const pm = await stripe.paymentMethods.attach(token, { customer: customerId });
  await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: pm.id } });
  await db.team.update({ where: { id: teamId }, data: { stripeCustomerId: customerId } });
  return { customerId, paymentMethodId: pm.id };
}

/** PaymentIntents the emulator holds for a customer (to count charges). */
export async function intentsOf(stripe: Stripe, customerId: string): Promise<Stripe.PaymentIntent[]> {
  return (await stripe.paymentIntents.list({ customer: customerId, limit: 100 })).data;
}
