import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";
import type { CardGateway, CustomerGateway } from "../cards/card-port";
import { ensureStripeCustomer } from "../cards/ensure-stripe-customer";
import { BillingError } from "../errors";
import { applySubscriptionState, type SubscriptionActor, subscriptionActor } from "./apply-subscription-state";
import { decidePlanChange } from "./decide-plan-change";
import { choosePlan, priceSpec } from "./plan-offers";
import { readSubscriptionState, type SeedSubscriptionStatus } from "./read-subscription-state";
import type { SubscriptionChangeGateway, SubscriptionGateway } from "./subscription-port";

export type SubscribeGateway = CardGateway & CustomerGateway & SubscriptionGateway & SubscriptionChangeGateway;

export type SubscribeInput = {
  planId: string;
  cycle: BillingCycle;
  /** The caller's key for this attempt: a retried request makes no second subscription, change or charge. */
  idempotencyKey: string;
  /** Unix seconds from the preview, so an upgrade charges exactly the amount previewed. */
  prorationDate?: number | null;
  ui?: "embedded" | "hosted";
  /** The billing contact: set on the team's Stripe customer (the API's `email`). */
  email?: string | null;
};

export type SubscribeResult = {
  /** active: changed directly (or cancellation scheduled for Free); checkout: pay on Stripe's page; unchanged: nothing to do. */
  outcome: "active" | "checkout" | "unchanged";
  status: SeedSubscriptionStatus | null;
  checkout: { sessionId: string; clientSecret: string | null; url: string | null } | null;
};

/** How old a preview's proration date may be when it comes back (Stripe needs it inside the current period too). */
const PRORATION_DATE_MAX_AGE_S = 60 * 60;

/**
 * Subscribes the actor's team to a plan, or changes, reactivates or ends (Free) its subscription, by the policy in
 * decidePlanChange. The team's plan changes only when Stripe says the subscription is active: after a direct change
 * the subscription is read back and its state applied (as the webhooks will again), so the answer is current.
 * A declined card is PAYMENT_FAILED and nothing changes; a change that must charge now with no card is NO_PAYMENT_METHOD.
 */
export async function subscribeToPlan({
  db,
  gateway,
  actor,
  team,
  input,
  appUrl,
  now = new Date(),
}: {
  db: Db;
  gateway: SubscribeGateway;
  actor: Actor;
  team: { id: string; slug: string; name: string; stripeCustomerId: string | null };
  input: SubscribeInput;
  appUrl: string;
  now?: Date;
}): Promise<SubscribeResult> {
  requirePermission(actor, "billing:write");
  if (actor.teamId !== team.id) throw new BillingError("FORBIDDEN", "You can only change your own team's subscription.");
  // A stale or made-up proration date is refused whatever the change (it never silently prices something else).
  const prorationDate = checkedProrationDate(input.prorationDate, null, now);
  const choice = await choosePlan({ db, teamId: team.id, planId: input.planId, cycle: input.cycle });
  const decision = await decidePlanChange({ db, teamId: team.id, choice });
  const key = (what: string) => `sub-${what}:${team.id}:${input.idempotencyKey}`;
  const status = async () => (await readSubscriptionState({ db, teamId: team.id, now })).status;
  const apply = async (subscriptionId: string) => {
    const fresh = await gateway.retrieveSubscription(subscriptionId);
    // Its latest invoice too, so a paid first invoice's plan credits are there in the answer (once: the ledger key).
    const invoice = fresh.latestInvoiceId ? await gateway.retrieveSubscriptionInvoice(fresh.latestInvoiceId) : null;
    await db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: fresh, invoice, actor: subscriptionActor(actor), now }));
    return { outcome: "active" as const, status: await status(), checkout: null };
  };

  // The billing contact (the API's email) is saved whatever the plan change, even none.
  const customerId = input.email || decision.kind !== "unchanged" ? await ensureStripeCustomer({ db, gateway, team, email: input.email ?? null }) : null;
  if (customerId && input.email) await gateway.setCustomerEmail(customerId, input.email);
  if (decision.kind === "unchanged") return { outcome: "unchanged", status: await status(), checkout: null };
  const current = decision.current;
  if (decision.kind === "reactivate" || decision.cancelAtPeriodEnd) {
    await gateway.setCancelAtPeriodEnd(current!.stripeSubscriptionId!, decision.cancelAtPeriodEnd, key(decision.cancelAtPeriodEnd ? "cancel" : "resume"));
    return apply(current!.stripeSubscriptionId!);
  }

  const card = await gateway.findSavedCard(customerId!);
  const priceId = await gateway.ensurePlanPrice(priceSpec(choice));

  if (decision.kind === "new") {
    const adopted = await adoptLiveSubscription({ db, gateway, customerId: customerId!, lookupKey: choice.lookupKey, actor: subscriptionActor(actor), now });
    if (adopted) return { outcome: "active", status: await status(), checkout: null };
    if (card) {
      const created = await gateway.createSubscription({
        customerId: customerId!,
        priceId,
        paymentMethodId: card.paymentMethodId,
        metadata: { team_id: team.id, plan: choice.plan.id },
        // Keyed by the team's next subscription, not by the request: two tabs (or a double click with fresh keys)
        // get the one subscription Stripe made first; a different plan chosen at once is a CONFLICT, never a second.
        // The ten-minute window lets a declined card be tried again later (Stripe keeps an answer under its key).
        idempotencyKey: `sub-new:${team.id}:${decision.previous ?? "first"}:${card.paymentMethodId}:${Math.floor(now.getTime() / 600_000)}`,
      });
      return apply(created.id);
    }
    const page = `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/subscription`;
    const ui = input.ui ?? "embedded";
    const checkout = await gateway.openSubscriptionCheckout({
      ui,
      customerId: customerId!,
      priceId,
      metadata: { team_id: team.id, plan: choice.plan.id, kind: "subscription" },
      returnUrl: `${page}?checkout={CHECKOUT_SESSION_ID}`,
      cancelUrl: page,
      idempotencyKey: key(`checkout-${ui}`),
    });
    return { outcome: "checkout", status: await status(), checkout };
  }

  // An upgrade or a new cycle charges now, on the card on file.
  const charges = decision.prorationBehavior === "always_invoice" && choice.priceCents > 0n;
  if (charges && !card) throw new BillingError("NO_PAYMENT_METHOD", "There is no card on file to charge for this change. Add one under Manage billing first.");
  await gateway.changeSubscription(
    {
      subscriptionId: current!.stripeSubscriptionId!,
      priceId,
      prorationBehavior: decision.prorationBehavior,
      resetCycle: decision.resetCycle,
      prorationDate: decision.prorationBehavior === "always_invoice" ? checkedProrationDate(prorationDate, current!.currentPeriodStart, now) : null,
    },
    // A new card is a new attempt (Stripe keeps a declined attempt's answer under its key).
    `${key("change")}:${card?.paymentMethodId ?? "none"}`,
  );
  return apply(current!.stripeSubscriptionId!);
}

function checkedProrationDate(value: number | null | undefined, periodStart: Date | null, now: Date): number | null {
  if (value == null) return null;
  const nowS = Math.floor(now.getTime() / 1000);
  if (value > nowS + 300 || value < nowS - PRORATION_DATE_MAX_AGE_S || (periodStart && value < Math.floor(periodStart.getTime() / 1000))) {
    throw new BillingError("VALIDATION_FAILED", "That price preview is out of date. Preview the change again.", { field: "prorationDate" });
  }
  return value;
}

/**
 * Before starting a team's subscription: if Stripe already has a live one for its customer (a Checkout paid in
 * another tab, or a subscription whose webhooks have not arrived yet), its state is copied instead of a second one
 * started. True when it is on the plan asked for; another plan is a CONFLICT (the page shows the one there is).
 */
export async function adoptLiveSubscription({
  db,
  gateway,
  customerId,
  lookupKey,
  actor = null,
  now,
}: {
  db: Db;
  gateway: SubscriptionChangeGateway;
  customerId: string;
  lookupKey: string | null;
  actor?: SubscriptionActor | null;
  now: Date;
}): Promise<boolean> {
  const [live] = await gateway.liveSubscriptions(customerId);
  if (!live) return false;
  await db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: live, actor, now }));
  if (lookupKey !== null && live.priceLookupKey === lookupKey) return true;
  throw new BillingError("CONFLICT", "This team already has a subscription that has just started. Reload the page to see it; change plans from there.");
}
