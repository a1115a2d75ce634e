import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The audit rows the billing core writes for what an owner cares about, through the real paths: a top-up paid through
// Checkout and refunded through Stripe's webhooks, a plan changed from the dashboard's route (and the webhooks after
// it), an admin's adjustment. Each row is written with the change, once, with before and after.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { describeAudit } from "../../components/audit/describe-audit";
import { adjustCredits } from "../../lib/billing/ledger/adjust-credits";
import { createTopUpCheckout } from "../../lib/billing/topups/create-top-up-checkout";
import { fulfilCheckout } from "../../lib/billing/topups/fulfil-checkout";
import { stripeCheckoutGateway } from "../../lib/stripe/checkout-gateway";
import { makePlatformAdmin, makeTeam } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { subscribeViaRoute, teamWithCard } from "../subscriptions/helpers";
import { readWholeLog } from "./helpers";

let env: StripeTestEnv;
let staffId: string;
beforeAll(async () => {
  env = await startStripeTestEnv();
  staffId = await makePlatformAdmin(env.t.db, "staff");
});
afterAll(() => env?.close());

const log = (teamId: string, group: string) => readWholeLog(env.t.db, { kind: "platformAdmin", userId: staffId }, teamId, { group });

describe("payments and refunds", () => {
  it("a paid top-up writes payment.succeeded once (webhook and return page racing), and each refund writes what it took back", async () => {
    const team = await makeTeam(env.t.db);
    const started = await createTopUpCheckout({
      db: env.t.db,
      gateway: env.gateway,
      team: { id: team.teamId, slug: team.slug, stripeCustomerId: null },
      actorUserId: team.userId,
      customerEmail: "payer@example.test",
      input: { method: "card", amount: "25" },
      ui: "embedded",
      appUrl: "http://app.test",
    });
    const done = await env.control<{ session: { payment_intent: { id: string } } }>(`checkout_sessions/${started.sessionId}/complete`, { outcome: "paid" });
    await env.delivered();
    const paid = await log(team.teamId, "payments");
    expect(paid.map((r) => [r.action, r.actor])).toEqual([["payment.succeeded", expect.objectContaining({ kind: "user", id: team.userId })]]);
    expect(describeAudit(paid[0]!.action, paid[0]!.data).what).toBe("Payment of $25.00 succeeded (Top Up): 2,000,000 credits added");

    await env.stripe.refunds.create({ payment_intent: done.session.payment_intent.id, amount: 1000 });
    await env.delivered();
    await env.stripe.refunds.create({ payment_intent: done.session.payment_intent.id });
    await env.delivered();
    const rows = (await log(team.teamId, "payments")).reverse();
    expect(rows.map((r) => [r.action, r.actor.kind])).toEqual([
      ["payment.succeeded", "user"],
      ["payment.refunded", "stripe"],
      ["payment.refunded", "stripe"],
    ]);
    expect(rows.slice(1).map((r) => describeAudit(r.action, r.data))).toEqual([
      {
        what: "Refund on the $25.00 payment; 800,000 credits taken back",
        changes: [
          { label: "Status", before: "succeeded", after: "partially refunded" },
          { label: "Refunded", before: "$0.00", after: "$10.00" },
        ],
      },
      {
        what: "Refund on the $25.00 payment; 1,200,000 credits taken back",
        changes: [
          { label: "Status", before: "partially refunded", after: "refunded" },
          { label: "Refunded", before: "$10.00", after: "$25.00" },
        ],
      },
    ]);
    // Fulfilling again (the return page, late) changes nothing and writes nothing.
    await Promise.all([1, 2].map(() => fulfilCheckout({ db: env.t.db, sessionId: started.sessionId, gateway: stripeCheckoutGateway(env.stripe) })));
    expect(await env.t.db.auditLog.count({ where: { teamId: team.teamId, action: { startsWith: "payment." } } })).toBe(3);
  });
});

describe("plan changes", () => {
  it("a plan chosen on the dashboard is logged once, as the owner's, with the plan before and after", async () => {
    const team = await teamWithCard(env);
    await subscribeViaRoute(session, team, "starter", "monthly");
    await env.delivered();
    await subscribeViaRoute(session, team, "pro", "monthly");
    await env.delivered();
    const rows = (await log(team.teamId, "plan")).reverse();
    expect(rows.map((r) => [r.action, r.actor.kind === "user" ? r.actor.id : r.actor.kind])).toEqual([
      ["subscription.changed", team.userId],
      ["subscription.changed", team.userId],
    ]);
    expect(rows.map((r) => describeAudit(r.action, r.data))).toEqual([
      {
        what: "Subscribed to Starter",
        changes: [
          { label: "Plan", before: "—", after: "Starter" },
          { label: "Billing", before: "—", after: "monthly" },
          { label: "Status", before: "—", after: "active" },
          { label: "Ends at the period end", before: "—", after: "no" },
        ],
      },
      { what: "Changed plan", changes: [{ label: "Plan", before: "Starter", after: "Pro" }] },
    ]);
  });
});

describe("admin adjustments", () => {
  it("keep the reason and the balance before and after, once per idempotency key", async () => {
    const team = await makeTeam(env.t.db, { credits: 1_000n });
    for (let i = 0; i < 2; i++)
      await adjustCredits({ db: env.t.db, teamId: team.teamId, amount: -300n, reason: "double charge", actorUserId: staffId, idempotencyKey: "adj-1" });
    const rows = await log(team.teamId, "adjustments");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor).toMatchObject({ kind: "user", id: staffId, platformAdmin: true });
    expect(describeAudit(rows[0]!.action, rows[0]!.data)).toEqual({
      what: "Adjusted the balance by -300 credits. Reason: double charge",
      changes: [{ label: "Balance", before: "1,000 credits", after: "700 credits" }],
    });
  });
});
