import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { StripeTestEnv } from "../stripe/helpers";
import { makeTeam } from "../billing/factories";

/** A team whose Stripe customer has a saved default card (pm_card_visa, or one that declines every charge). */
export async function teamWithCard(env: StripeTestEnv, card = "pm_card_visa") {
  const team = await makeTeam(env.t.db);
  const customer = await env.stripe.customers.create({ email: "owner@example.test", metadata: { team_id: team.teamId } });
  const pm = await env.stripe.paymentMethods.attach(card, { customer: customer.id });
  await env.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  await env.t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customer.id } });
  return { ...team, customerId: customer.id };
}

/** Counts of what Stripe could have charged or made: subscriptions, invoices, charges, checkout sessions. */
export async function stripeCounts(env: StripeTestEnv) {
  const s = await env.control<{ counts: Record<string, number> }>("state");
  return {
    subscriptions: s.counts.subscription ?? 0,
    invoices: s.counts.invoice ?? 0,
    charges: s.counts.charge ?? 0,
    sessions: s.counts["checkout.session"] ?? 0,
  };
}

/** Plan credits granted to a team (ledger PLAN_GRANT entries). */
export async function planGrants(env: StripeTestEnv, teamId: string) {
  const entries = await env.t.db.ledgerEntry.findMany({ where: { teamId, kind: "PLAN_GRANT" } });
  return { total: entries.reduce((s, e) => s + e.amount, 0n), count: entries.length };
}

/** The team's subscription at Stripe (the only one its customer has) with its latest invoice. */
export async function stripeSubscriptionOf(env: StripeTestEnv, customerId: string) {
  const list = await env.stripe.subscriptions.list({ customer: customerId, status: "all", expand: ["data.latest_invoice"] });
  expect(list.data.length).toBe(1);
  return list.data[0]!;
}

export const key = () => randomUUID();

/**
 * Subscribes through the Subscription route as the team's owner: `session` is the test file's mocked session (its
 * vi.mock of lib/auth/config reads it), so the route sees the owner signed in.
 */
export async function subscribeViaRoute(
  session: { userId: string | null },
  team: { slug: string; userId: string },
  plan: string,
  billingCycle: "monthly" | "annual",
) {
  const { POST } = await import("../../app/api/teams/[team]/subscription/route");
  session.userId = team.userId;
  const res = await POST(
    new Request(`http://app.test/api/teams/${team.slug}/subscription`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://app.test" },
      body: JSON.stringify({ plan, billingCycle, idempotencyKey: key() }),
    }),
    { params: Promise.resolve({ team: team.slug }) },
  );
  expect(res.status, await res.clone().text()).toBe(200);
}
