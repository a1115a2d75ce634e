import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTeamPlan } from "../../lib/billing/plans/get-team-plan";
import { seedDemo } from "../../lib/demo/seed";
import { seedDemoBilling } from "../../lib/demo/seed-billing";
import { getSavedCard } from "../../lib/billing/cards/get-saved-card";
import { listInvoices } from "../../lib/billing/invoices/list-invoices";
import { readSubscriptionState } from "../../lib/billing/subscriptions/read-subscription-state";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

describe("demo billing seed", () => {
  it("puts Acme on Pro and Olivia on Starter, leaves Erin on Free, and is idempotent; with Stripe it saves cards", async () => {
    await seedDemo({ db: env.t.db });
    const first = await seedDemoBilling({ db: env.t.db });
    expect(first).toEqual({ subscriptions: 2, cards: 0, invoices: 1 });
    const plan = async (slug: string) => getTeamPlan({ db: env.t.db, teamId: (await env.t.db.team.findUniqueOrThrow({ where: { slug } })).id });
    expect((await plan("acme-ai")).plan.id).toBe("pro");
    expect((await plan("olivia-okafor")).plan.id).toBe("starter");
    expect((await plan("erin-ito")).free).toBe(true);
    // With Stripe: Acme moves onto a real Pro subscription (its card saved with it), Olivia's team gets a saved card.
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe })).toEqual({ subscriptions: 1, cards: 1, invoices: 0 });
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe })).toEqual({ subscriptions: 0, cards: 0, invoices: 0 });
    const acme = await env.t.db.team.findUniqueOrThrow({ where: { slug: "acme-ai" }, include: { billingDetails: true, subscription: true } });
    expect((await getSavedCard({ gateway: env.gateway, customerId: acme.stripeCustomerId }))?.label).toBe("Visa •••• 4242");
    expect(acme.billingDetails?.companyName).toBe("Acme AI, Inc.");

    const subs = await env.stripe.subscriptions.list({ customer: acme.stripeCustomerId!, status: "all" });
    expect(subs.data.map((s) => [s.status, s.items.data[0]!.price.lookup_key, s.items.data[0]!.price.unit_amount])).toEqual([["active", "pro_monthly", 4900]]);
    const [sub] = subs.data;
    expect(acme.subscription).toMatchObject({ planId: "pro", status: "ACTIVE", stripeSubscriptionId: sub!.id, stripeStatus: "active" });
    expect(await readSubscriptionState({ db: env.t.db, teamId: acme.id })).toMatchObject({ plan: { id: "pro" }, planCredits: { granted: 20_000_000n } });
    const grants = await env.t.db.ledgerEntry.findMany({ where: { teamId: acme.id, kind: "PLAN_GRANT" } });
    expect(grants.map((g) => [g.idempotencyKey, g.amount])).toEqual([[`plan:${String(sub!.latest_invoice)}`, 20_000_000n]]);
    const { invoices } = await listInvoices({ db: env.t.db, teamId: acme.id });
    expect(invoices.filter((i) => i.source === "stripe").map((i) => [i.stripeInvoiceId, i.status, i.amountCents, i.amountPaidCents])).toEqual([
      [String(sub!.latest_invoice), "paid", 4900n, 4900n],
    ]);
    expect((await env.stripe.prices.list({ lookup_keys: ["pro_monthly"] })).data).toHaveLength(1);

    // The webhook's later deliveries of the same events change nothing.
    await env.delivered();
    expect(await env.t.db.ledgerEntry.count({ where: { teamId: acme.id, kind: "PLAN_GRANT" } })).toBe(1);
    expect(await env.t.db.invoice.count({ where: { teamId: acme.id, source: "STRIPE" } })).toBe(1);

    // A demo restart with a fresh emulator (serve.ts forgets the customers): no second subscription in this period.
    await env.t.db.team.updateMany({ where: { stripeCustomerId: { not: null } }, data: { stripeCustomerId: null } });
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe, saveCards: false })).toEqual({ subscriptions: 0, cards: 0, invoices: 0 });
    expect((await env.stripe.subscriptions.list({ status: "all" })).data.filter((s) => s.metadata.team_id === acme.id)).toHaveLength(1);
    expect(await env.t.db.ledgerEntry.count({ where: { teamId: acme.id, kind: "PLAN_GRANT" } })).toBe(1);
  });

  it("on a fresh demo (as serve.ts seeds it) Acme starts on a real Pro subscription; other teams get no saved card", async () => {
    await env.t.db.team.deleteMany({});
    await env.t.db.user.deleteMany({});
    expect(await seedDemo({ db: env.t.db })).toBe(true);
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe, saveCards: false })).toEqual({ subscriptions: 2, cards: 0, invoices: 1 });
    const team = (slug: string) => env.t.db.team.findUniqueOrThrow({ where: { slug }, include: { subscription: true } });
    const acme = await team("acme-ai");
    expect(acme.subscription).toMatchObject({ planId: "pro", status: "ACTIVE", stripeSubscriptionId: expect.stringMatching(/^sub_/) });
    expect(await readSubscriptionState({ db: env.t.db, teamId: acme.id })).toMatchObject({ planCredits: { granted: 20_000_000n } });
    expect((await team("olivia-okafor")).stripeCustomerId).toBeNull();
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe, saveCards: false })).toEqual({ subscriptions: 0, cards: 0, invoices: 0 });
  });
});
