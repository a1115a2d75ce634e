import type Stripe from "stripe";
import type { Db } from "../db/client";
import { endOfUtcMonth } from "../billing/config";
import { setBillingDetails } from "../billing/billing-details/set-billing-details";
import { generatePaymentInvoice } from "../billing/invoices/generate-payment-invoice";
import { ensureStripeCustomer } from "../billing/cards/ensure-stripe-customer";
import { getSavedCard } from "../billing/cards/get-saved-card";
import { stripeGateway } from "../stripe/gateway";
import { startOfUtcMonth } from "../billing/dates";
import { seedDemoSubscription } from "./seed-subscription";

/** Which demo team is on which plan; teams not listed (Erin's personal team) stay on Free. */
export const demoPlans = { "acme-ai": "pro", "olivia-okafor": "starter" } as const;
/** The demo's paying team: with Stripe (the emulator) it is on its plan through a real subscription. */
export const demoSubscribedTeam = "acme-ai";

/**
 * Demo billing state, made through the billing core and idempotent (safe on every start): Acme AI on Pro and
 * Olivia's team on Starter for the current UTC month, Acme's billing details, and an invoice for Acme's first
 * top-up. With a Stripe client (the emulator is running) Acme is on Pro through a real subscription paid with a saved
 * Visa (seedDemoSubscription: plan credits, its invoice on Invoices), and with `saveCards` both teams get a saved Visa;
 * without, people add a card on Buy Credit ("Add a card").
 */
export async function seedDemoBilling({
  db,
  stripe = null,
  saveCards = true,
  now = new Date(),
}: {
  db: Db;
  stripe?: Stripe | null;
  saveCards?: boolean;
  now?: Date;
}): Promise<{ subscriptions: number; cards: number; invoices: number }> {
  const counts = { subscriptions: 0, cards: 0, invoices: 0 };
  const currentPeriodStart = startOfUtcMonth(now);
  for (const [slug, planId] of Object.entries(demoPlans)) {
    const team = await db.team.findUnique({
      where: { slug },
      select: { id: true, name: true, stripeCustomerId: true, subscription: { select: { currentPeriodEnd: true } } },
    });
    if (!team) continue;
    if (stripe && slug === demoSubscribedTeam) {
      if ((await seedDemoSubscription({ db, stripe, slug, planId, now })) === "created") counts.subscriptions += 1;
    } else if (!team.subscription || team.subscription.currentPeriodEnd <= now) {
      const data = { planId, status: "ACTIVE" as const, currentPeriodStart, currentPeriodEnd: endOfUtcMonth(now), cancelAtPeriodEnd: false };
      await db.subscription.upsert({ where: { teamId: team.id }, create: { teamId: team.id, ...data }, update: data });
      counts.subscriptions += 1;
    }
    // The subscribed team's card was saved with its subscription.
    if (stripe && saveCards && slug !== demoSubscribedTeam && !(await getSavedCard({ gateway: stripeGateway(stripe), customerId: team.stripeCustomerId }))) {
      const customerId = await ensureStripeCustomer({ db, gateway: stripeGateway(stripe), team, email: null });
      const pm = await stripe.paymentMethods.attach("pm_card_visa", { customer: customerId });
      await stripe.customers.update(customerId, { invoice_settings: { default_payment_method: pm.id } });
      counts.cards += 1;
    }
  }
  const acme = await db.team.findUnique({ where: { slug: "acme-ai" }, select: { id: true, billingDetails: { select: { teamId: true } } } });
  if (acme) {
    if (!acme.billingDetails) {
      await setBillingDetails({
        db,
        teamId: acme.id,
        actorUserId: null,
        input: {
          companyName: "Acme AI, Inc.",
          addressLine1: "500 Market Street",
          addressLine2: "Suite 300",
          city: "San Francisco",
          region: "CA",
          postalCode: "94105",
          country: "United States",
          taxId: "US EIN 12-3456789",
          billingEmail: "ap@acme.example",
        },
      });
    }
    const first = await db.payment.findFirst({ where: { teamId: acme.id, succeededAt: { not: null } }, orderBy: { createdAt: "asc" }, select: { id: true } });
    if (first && (await generatePaymentInvoice({ db, teamId: acme.id, paymentId: first.id, actorUserId: null })).created) counts.invoices += 1;
  }
  return counts;
}
