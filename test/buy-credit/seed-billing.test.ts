import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTeamPlan } from "../../lib/billing/plans/get-team-plan";
import { seedDemo } from "../../lib/demo/seed";
import { seedDemoBilling } from "../../lib/demo/seed-billing";
import { getSavedCard } from "../../lib/billing/cards/get-saved-card";
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
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe })).toEqual({ subscriptions: 0, cards: 2, invoices: 0 });
    expect(await seedDemoBilling({ db: env.t.db, stripe: env.stripe })).toEqual({ subscriptions: 0, cards: 0, invoices: 0 });
    const acme = await env.t.db.team.findUniqueOrThrow({ where: { slug: "acme-ai" }, include: { billingDetails: true } });
    expect((await getSavedCard({ gateway: env.gateway, customerId: acme.stripeCustomerId }))?.label).toBe("Visa •••• 4242");
    expect(acme.billingDetails?.companyName).toBe("Acme AI, Inc.");
  });
});
