import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { CustomerGateway } from "../cards/card-port";
import { ensureStripeCustomer } from "../cards/ensure-stripe-customer";
import { billingConfig } from "../config";
import { BillingError } from "../errors";
import { checkReturnUrl } from "./return-url";
import type { SubscriptionChangeGateway } from "./subscription-port";

/**
 * A Stripe customer portal session for the actor's team (payment methods, billing details, invoices, and plan changes
 * as the portal configuration allows; what is done there comes back through webhooks). billing:write.
 * BILLING_PORTAL_DISABLED when the team's plan turns the portal off (an Enterprise managed plan); the return URL is the
 * Subscription page, or (the API) one the allow-list accepts. Stripe's portal URL is good for 5 minutes.
 */
export async function openBillingPortal({
  db,
  gateway,
  actor,
  team,
  appUrl,
  returnUrl,
}: {
  db: Db;
  gateway: CustomerGateway & SubscriptionChangeGateway;
  actor: Actor;
  team: { id: string; slug: string; name: string; stripeCustomerId: string | null };
  appUrl: string;
  /** null: back to the team's Subscription page. */
  returnUrl: string | null;
}): Promise<{ url: string }> {
  requirePermission(actor, "billing:write");
  const to =
    returnUrl === null
      ? `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/subscription`
      : checkReturnUrl(returnUrl, { appUrl, rules: billingConfig().portalReturnUrls });
  const row = await db.subscription.findUnique({ where: { teamId: team.id }, select: { status: true, plan: { select: { portalEnabled: true } } } });
  if (row && row.status !== "CANCELED" && !row.plan.portalEnabled) {
    throw new BillingError(
      "BILLING_PORTAL_DISABLED",
      "Billing for this team is managed with the platform under its Enterprise agreement; contact your account manager.",
    );
  }
  const customerId = await ensureStripeCustomer({ db, gateway, team, email: null });
  return gateway.openBillingPortal({ customerId, returnUrl: to });
}
