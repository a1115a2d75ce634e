import type Stripe from "stripe";
import type { BillingGateway } from "../billing/gateway";
import { stripeCardGateway } from "./card-gateway";
import { stripeCheckoutGateway } from "./checkout-gateway";
import { stripeClient, stripeSettings } from "./client";
import { stripePaymentIntentGateway } from "./payment-intent-gateway";
import { stripeRefundGateway } from "./refund-gateway";
import { stripeSubscriptionChangeGateway } from "./subscription-change-gateway";
import { stripeStatementGateway } from "./statement-gateway";
import { stripeSubscriptionGateway } from "./subscription-gateway";

const built = new WeakMap<Stripe, BillingGateway>();

/** Every port the billing core calls Stripe through (lib/billing/gateway.ts), over one SDK client. */
export function stripeGateway(stripe: Stripe): BillingGateway {
  let gateway = built.get(stripe);
  if (!gateway) {
    gateway = {
      ...stripeCheckoutGateway(stripe),
      ...stripePaymentIntentGateway(stripe),
      ...stripeCardGateway(stripe),
      ...stripeSubscriptionGateway(stripe),
      ...stripeSubscriptionChangeGateway(stripe),
      ...stripeStatementGateway(stripe),
      ...stripeRefundGateway(stripe),
    };
    built.set(stripe, gateway);
  }
  return gateway;
}

/** The process's gateway (lib/stripe/client.ts); STRIPE_UNAVAILABLE when Stripe is not configured. */
export function processGateway(): BillingGateway {
  return stripeGateway(stripeClient());
}

/** The process's gateway, or null when Stripe is not configured on this installation (nothing can be charged). */
export function configuredGateway(): BillingGateway | null {
  return stripeSettings() ? processGateway() : null;
}
