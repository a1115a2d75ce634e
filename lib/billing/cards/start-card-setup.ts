import type { Db } from "../../db/client";
import { BillingError } from "../errors";
import type { CardGateway, CustomerGateway } from "./card-port";
import { ensureStripeCustomer } from "./ensure-stripe-customer";

/**
 * "Add a card" for Buy Credit and auto top-up: a Checkout Session in setup mode for the team's customer, on Stripe's
 * hosted page (no card data touches Creditdesk). Stripe sends the person back to /buy-credit/card-saved.
 */
export async function startCardSetup({
  db,
  gateway,
  team,
  email,
  appUrl,
}: {
  db: Db;
  gateway: CardGateway & CustomerGateway;
  team: { id: string; slug: string; name: string; stripeCustomerId: string | null };
  email: string | null;
  appUrl: string;
}): Promise<{ url: string }> {
  const customerId = await ensureStripeCustomer({ db, gateway, team, email });
  const base = `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/buy-credit`;
  const session = await gateway.openCardSetup({
    customerId,
    metadata: { team_id: team.id, kind: "card_setup" },
    successUrl: `${base}/card-saved?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${base}?card=canceled`,
  });
  if (!session.url) throw new BillingError("STRIPE_UNAVAILABLE", "Stripe did not return a page to add the card on. Nothing was saved; please try again.");
  return { url: session.url };
}
