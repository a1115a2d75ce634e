import { randomUUID } from "node:crypto";
import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db, Tx } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";
import { ensureStripeCustomer } from "../cards/ensure-stripe-customer";
import { BillingError } from "../errors";
import { decidePlanChange } from "./decide-plan-change";
import { ANNUAL_DISCOUNT_PCT, choosePlan, priceSpec } from "./plan-offers";
import { openBillingPortal } from "./open-billing-portal";
import { readSubscriptionState } from "./read-subscription-state";
import { adoptLiveSubscription, type SubscribeGateway, subscribeToPlan } from "./subscribe-to-plan";

// The WAVIS subscription API (billing-api-plans-budgets) over the same use cases as the Subscription page. Decisions
// the seed leaves open:
// - A team with no subscription is on Free: plan "free", status "active", current_period_end the end of its Free
//   allowance cycle (the UTC month), billing_cycle "monthly".
// - subscribe accepts starter, pro, scale and payg; enterprise is INVALID_PLAN (per contract: the request form), and
//   so is free (cancel with DELETE /billing/subscription to go back to Free).
// - subscribe with no card on file answers `checkout_url` (Stripe's hosted Checkout) and status "incomplete" (it
//   becomes "active" once Checkout is paid). NO_PAYMENT_METHOD is for a change to an existing subscription that must be
//   charged now (an upgrade, a new cycle) with no card on file.

export type SeedSubscription = {
  plan: string;
  status: "active" | "trial" | "cancelled" | "past_due" | "unpaid" | "incomplete";
  current_period_end: Date | null;
  /** Per month: the monthly price, or the annual price over twelve. */
  monthly_price_cents: bigint;
  /** null: unlimited (PAYG, Enterprise). */
  monthly_fcu_limit: bigint | null;
  billing_cycle: "monthly" | "annual";
  annual_discount_pct: number;
  checkout_url?: string;
};

const cycleOf = (word: string | undefined): BillingCycle => (word === "annual" ? "ANNUAL" : "MONTHLY");

async function teamOf(db: Tx, actor: Actor) {
  return db.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { id: true, slug: true, name: true, stripeCustomerId: true } });
}

/** The seed's plan fields: the price per month (an annual price over twelve, to the cent) and the monthly credits. */
function planFields(
  plan: { id: string; monthlyPriceCents: bigint; annualPriceCents: bigint; monthlyCredits: bigint | null },
  annual: boolean,
): Pick<SeedSubscription, "plan" | "monthly_price_cents" | "monthly_fcu_limit" | "billing_cycle" | "annual_discount_pct"> {
  return {
    plan: plan.id,
    monthly_price_cents: annual ? (plan.annualPriceCents * 2n + 12n) / 24n : plan.monthlyPriceCents,
    monthly_fcu_limit: plan.monthlyCredits,
    billing_cycle: annual ? "annual" : "monthly",
    annual_discount_pct: ANNUAL_DISCOUNT_PCT,
  };
}

async function shape(db: Tx, teamId: string): Promise<SeedSubscription> {
  const s = await readSubscriptionState({ db, teamId });
  const prices = await db.plan.findUnique({ where: { id: s.plan.id }, select: { monthlyPriceCents: true, annualPriceCents: true } });
  const plan = { id: s.plan.id, monthlyCredits: s.plan.monthlyCredits, monthlyPriceCents: 0n, annualPriceCents: 0n, ...prices };
  return { ...planFields(plan, s.billingCycle === "ANNUAL"), status: s.status ?? "active", current_period_end: s.periodEnd ?? s.cycleEnd };
}

/** GET /api/v1/billing/subscription (billing:read). */
export async function readSeedSubscription({ db, actor }: { db: Tx; actor: Actor }): Promise<SeedSubscription> {
  requirePermission(actor, "billing:read");
  return shape(db, actor.teamId);
}

function refuseFree(planId: string) {
  if (planId === "free") throw new BillingError("INVALID_PLAN", "To go back to Free, cancel the subscription (DELETE /api/v1/billing/subscription).");
}

/** POST /api/v1/billing/subscribe (billing:write): subscribe, change plan or cycle, or reactivate. */
export async function subscribeFromApi({
  db,
  gateway,
  actor,
  input,
  appUrl,
}: {
  db: Db;
  gateway: SubscribeGateway;
  actor: Actor;
  input: { plan: string; email: string; billing_cycle?: "monthly" | "annual" };
  appUrl: string;
}): Promise<SeedSubscription> {
  requirePermission(actor, "billing:write");
  refuseFree(input.plan);
  const team = await teamOf(db, actor);
  const row = await db.subscription.findUnique({ where: { teamId: team.id }, select: { updatedAt: true } });
  // The API has no idempotency key: the same request in the same state is one attempt (a retry charges nothing twice).
  const idempotencyKey = `api-${input.plan}-${cycleOf(input.billing_cycle)}-${row ? row.updatedAt.getTime() : "none"}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const r = await subscribeToPlan({
    db,
    gateway,
    actor,
    team,
    appUrl,
    input: { planId: input.plan, cycle: cycleOf(input.billing_cycle), idempotencyKey, email: input.email, ui: "hosted" },
  });
  if (r.outcome !== "checkout") return shape(db, team.id);
  const chosen = await choosePlan({ db, teamId: team.id, planId: input.plan, cycle: cycleOf(input.billing_cycle) });
  return { ...planFields(chosen.plan, chosen.cycle === "ANNUAL"), status: "incomplete", current_period_end: null, checkout_url: r.checkout!.url ?? "" };
}

/**
 * POST /api/v1/billing/checkout (billing:write): an embedded Checkout Session in subscription mode for a team with no
 * paid subscription (a team that has one changes plans with /billing/subscribe: CONFLICT).
 */
export async function openCheckoutFromApi({
  db,
  gateway,
  actor,
  input,
  appUrl,
}: {
  db: Db;
  gateway: SubscribeGateway;
  actor: Actor;
  input: { plan: string; billing_cycle?: "monthly" | "annual" };
  appUrl: string;
}): Promise<{ session_id: string; client_secret: string }> {
  requirePermission(actor, "billing:write");
  refuseFree(input.plan);
  const team = await teamOf(db, actor);
  const choice = await choosePlan({ db, teamId: team.id, planId: input.plan, cycle: cycleOf(input.billing_cycle) });
  const decision = await decidePlanChange({ db, teamId: team.id, choice });
  if (decision.kind !== "new") {
    throw new BillingError("CONFLICT", "This team already has a subscription; change plans with POST /api/v1/billing/subscribe.");
  }
  const customerId = await ensureStripeCustomer({ db, gateway, team, email: null });
  if (await adoptLiveSubscription({ db, gateway, customerId, lookupKey: choice.lookupKey, now: new Date() })) {
    throw new BillingError("CONFLICT", "This team already has a subscription; change plans with POST /api/v1/billing/subscribe.");
  }
  const priceId = await gateway.ensurePlanPrice(priceSpec(choice));
  const page = `${appUrl.replace(/\/+$/, "")}/t/${encodeURIComponent(team.slug)}/subscription`;
  const s = await gateway.openSubscriptionCheckout({
    ui: "embedded",
    customerId,
    priceId,
    metadata: { team_id: team.id, plan: choice.plan.id, kind: "subscription" },
    returnUrl: `${page}?checkout={CHECKOUT_SESSION_ID}`,
    cancelUrl: page,
    idempotencyKey: `sub-checkout-api:${team.id}:${randomUUID()}`,
  });
  if (!s.clientSecret)
    throw new BillingError("STRIPE_UNAVAILABLE", "Stripe did not return a client secret for the checkout. Nothing was charged; please try again.");
  return { session_id: s.sessionId, client_secret: s.clientSecret };
}

/** POST /api/v1/billing/portal (billing:write): the return URL must pass the allow-list (RETURN_URL_NOT_ALLOWED). */
export async function openPortalFromApi({
  db,
  gateway,
  actor,
  returnUrl,
  appUrl,
}: {
  db: Db;
  gateway: SubscribeGateway;
  actor: Actor;
  returnUrl: string;
  appUrl: string;
}): Promise<{ url: string }> {
  requirePermission(actor, "billing:write");
  return openBillingPortal({ db, gateway, actor, team: await teamOf(db, actor), appUrl, returnUrl });
}
