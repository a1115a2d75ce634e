import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The Subscription page's routes as Next runs them, with the session replaced by a signed-in test user, against the
// real database and the Stripe emulator (webhooks delivered to the real route).
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import * as subscription from "../../app/api/teams/[team]/subscription/route";
import { POST as preview } from "../../app/api/teams/[team]/subscription/preview/route";
import { POST as portal } from "../../app/api/teams/[team]/subscription/portal/route";
import { returnFromSubscriptionCheckout } from "../../lib/billing/subscriptions/return-from-subscription-checkout";
import { makeCustomPlan } from "../../lib/billing/plans/make-custom-plan";
import { makeTeam } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { key, planGrants, stripeCounts, stripeSubscriptionOf, teamWithCard } from "./helpers";

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
});
afterAll(() => env?.close());

type Handler = (req: Request, ctx: { params: Promise<{ team: string }> }) => Promise<Response>;
async function call(
  handler: Handler,
  team: { slug: string; userId: string },
  body?: unknown,
  opts: { as?: string; method?: string } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked field by field below
): Promise<{ status: number; json: any }> {
  session.userId = opts.as ?? team.userId;
  const method = opts.method ?? (body === undefined ? "GET" : "POST");
  const init: RequestInit =
    method === "GET"
      ? { method }
      : { method, headers: { "content-type": "application/json", origin: "http://app.test" }, body: body === undefined ? undefined : JSON.stringify(body) };
  const res = await handler(new Request(`http://app.test/api/teams/${team.slug}/subscription`, init), { params: Promise.resolve({ team: team.slug }) });
  return { status: res.status, json: await res.json() };
}
const view = (team: { slug: string; userId: string }, as?: string) => call(subscription.GET, team, undefined, { as });
const subscribe = (team: { slug: string; userId: string }, body: Record<string, unknown>) =>
  call(subscription.POST, team, { idempotencyKey: key(), billingCycle: "monthly", ...body });

describe("GET /api/teams/:team/subscription", () => {
  it("shows a Free team its plan, no subscription and every plan of the seed with annual prices", async () => {
    const team = await makeTeam(env.t.db);
    const r = await view(team);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      plan: { id: "free", name: "Free", monthlyCredits: 10000 },
      status: null,
      billingCycle: null,
      periodEnd: null,
      cancelAtPeriodEnd: false,
      graceEndsAt: null,
      usageRefused: false,
      planCredits: { granted: 0, remaining: 0 },
      paymentMethod: null,
      nextInvoice: null,
      portalEnabled: true,
      canManage: true,
    });
    expect(r.json.cycleStart).toMatch(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
    expect(r.json.plans.map((p: { id: string; kind: string }) => `${p.id}:${p.kind}`)).toEqual([
      "free:free",
      "payg:payg",
      "starter:paid",
      "pro:paid",
      "scale:paid",
      "enterprise:enterprise",
    ]);
    const pro = r.json.plans.find((p: { id: string }) => p.id === "pro");
    expect(pro).toEqual({
      id: "pro",
      name: "Pro",
      kind: "paid",
      monthlyPriceCents: 4900,
      annualPriceCents: 48804,
      annualPerMonthCents: 4067,
      annualSavingPct: 17,
      monthlyCredits: 20000000,
      features: ["Priority compute queue", "Webhook alerts", "Batch discount"],
    });
    expect(r.json.plans.map((p: { annualPerMonthCents: number }) => p.annualPerMonthCents)).toEqual([0, 0, 747, 4067, 16517, 0]);
  });

  it("a member sees the plan read-only without the card or next invoice; another team's owner is refused", async () => {
    const team = await teamWithCard(env);
    await subscribe(team, { plan: "starter" });
    const member = await env.t.db.user.create({ data: { email: `m-${key()}@example.test` } });
    await env.t.db.membership.create({ data: { teamId: team.teamId, userId: member.id, role: "MEMBER" } });
    const other = await makeTeam(env.t.db);
    const asMember = await view(team, member.id);
    expect(asMember.status).toBe(200);
    expect(asMember.json).toMatchObject({ plan: { id: "starter" }, status: "active", canManage: false, paymentMethod: null, nextInvoice: null });
    expect((await view(team)).json).toMatchObject({ canManage: true, paymentMethod: { last4: "4242" }, nextInvoice: { amountCents: 900 } });
    await env.delivered();
    const stranger = await view(team, other.userId);
    expect([403, 404]).toContain(stranger.status);
  });
});

describe("subscribe with a saved card", () => {
  it("goes active at once, grants the plan credits once, then upgrades exactly as previewed, downgrades for nothing, cancels and reactivates", async () => {
    const team = await teamWithCard(env);
    const idem = key();
    const first = await subscribe(team, { plan: "pro", idempotencyKey: idem });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ outcome: "active", status: "active", checkout: null });
    // Granted with the answer already, not only when the webhook arrives.
    expect(await planGrants(env, team.teamId)).toEqual({ total: 20_000_000n, count: 1 });
    // The same request again: no second subscription or charge.
    expect((await subscribe(team, { plan: "pro", idempotencyKey: idem })).json).toEqual({ outcome: "unchanged", status: "active", checkout: null });
    await env.delivered();
    expect(await planGrants(env, team.teamId)).toEqual({ total: 20_000_000n, count: 1 });
    const sub = await stripeSubscriptionOf(env, team.customerId);
    expect(sub.items.data[0]!.price).toMatchObject({ lookup_key: "pro_monthly", unit_amount: 4900, recurring: { interval: "month" } });
    // Found by lookup key from then on, never created twice.
    await call(preview, team, { plan: "pro", billingCycle: "annual" });
    const prices = await env.stripe.prices.list({ lookup_keys: ["pro_monthly", "pro_annual"], limit: 10 });
    expect(prices.data.map((p) => `${p.lookup_key}:${p.unit_amount}`).sort()).toEqual(["pro_annual:48804", "pro_monthly:4900"]);

    const v = await view(team);
    expect(v.json).toMatchObject({
      plan: { id: "pro", name: "Pro", monthlyCredits: 20000000 },
      status: "active",
      billingCycle: "monthly",
      cancelAtPeriodEnd: false,
      planCredits: { granted: 20000000, remaining: 20000000 },
      paymentMethod: { brand: "Visa", last4: "4242", expMonth: expect.any(Number), expYear: expect.any(Number) },
      nextInvoice: { amountCents: 4900, date: v.json.periodEnd },
      canManage: true,
    });

    // Upgrade Pro → Scale: the preview's amount is what is charged (same proration date).
    const p = await call(preview, team, { plan: "scale", billingCycle: "monthly" });
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({
      kind: "upgrade",
      effective: "now",
      creditsGrantedNow: 80000000,
      nextRenewal: { amountCents: 19900, date: v.json.periodEnd },
    });
    expect(p.json.amountDueNowCents).toBeGreaterThan(0);
    expect(p.json.amountDueNowCents).toBeLessThanOrEqual(19900 - 4900);
    expect(p.json.lines.length).toBeGreaterThanOrEqual(2);
    expect(p.json.explanation).toMatch(/charged to your card/);
    const up = await subscribe(team, { plan: "scale", prorationDate: p.json.prorationDate });
    expect(up.json).toEqual({ outcome: "active", status: "active", checkout: null });
    const afterUp = await stripeSubscriptionOf(env, team.customerId);
    const upInvoice = afterUp.latest_invoice as Stripe.Invoice;
    expect(upInvoice.billing_reason).toBe("subscription_update");
    expect(upInvoice.amount_paid).toBe(p.json.amountDueNowCents);
    await env.delivered();
    expect((await planGrants(env, team.teamId)).total).toBe(100_000_000n);

    // Downgrade Scale → Starter: nothing charged, nothing credited, credits kept.
    const dp = await call(preview, team, { plan: "starter", billingCycle: "monthly" });
    expect(dp.json).toMatchObject({ kind: "downgrade", effective: "now", amountDueNowCents: 0, creditsGrantedNow: 0, prorationDate: null });
    expect(dp.json.nextRenewal).toEqual({ amountCents: 900, date: v.json.periodEnd });
    expect(dp.json.explanation).toMatch(/no charge and no refund/);
    const before = await stripeCounts(env);
    expect((await subscribe(team, { plan: "starter" })).json.status).toBe("active");
    expect(await stripeCounts(env)).toEqual(before);
    await env.delivered();
    expect((await planGrants(env, team.teamId)).total).toBe(100_000_000n);
    expect((await view(team)).json.plan.id).toBe("starter");

    // Cancel at period end, then reactivate with the same plan.
    const cancel = await call(subscription.DELETE, team, undefined, { method: "DELETE" });
    expect(cancel.json).toEqual({ status: "cancelled", periodEnd: v.json.periodEnd });
    expect((await view(team)).json).toMatchObject({ status: "cancelled", cancelAtPeriodEnd: true, nextInvoice: null, plan: { id: "starter" } });
    expect((await call(preview, team, { plan: "starter", billingCycle: "monthly" })).json).toMatchObject({ kind: "reactivate", amountDueNowCents: 0 });
    const re = await subscribe(team, { plan: "starter" });
    expect(re.json).toEqual({ outcome: "active", status: "active", checkout: null });
    expect((await stripeSubscriptionOf(env, team.customerId)).cancel_at_period_end).toBe(false);

    // Free cancels at period end (a downgrade to Free); Free again changes nothing.
    const free = await call(preview, team, { plan: "free", billingCycle: "monthly" });
    expect(free.json).toMatchObject({ kind: "downgrade", effective: "period_end", amountDueNowCents: 0, nextRenewal: null });
    expect((await subscribe(team, { plan: "free" })).json).toEqual({ outcome: "active", status: "cancelled", checkout: null });
    expect((await subscribe(team, { plan: "free" })).json).toEqual({ outcome: "unchanged", status: "cancelled", checkout: null });
    await env.delivered();
  });

  it("monthly → annual starts a new cycle now and charges the preview; the month's plan credits are not granted twice", async () => {
    const team = await teamWithCard(env);
    await subscribe(team, { plan: "starter" });
    await env.delivered();
    const p = await call(preview, team, { plan: "starter", billingCycle: "annual" });
    expect(p.json).toMatchObject({ kind: "cycle_change", effective: "now", creditsGrantedNow: 0 });
    // The annual price less credit for the unused part of the month.
    expect(p.json.amountDueNowCents).toBeGreaterThanOrEqual(8964 - 900);
    expect(p.json.amountDueNowCents).toBeLessThanOrEqual(8964);
    const r = await call(subscription.POST, team, { plan: "starter", billingCycle: "annual", idempotencyKey: key(), prorationDate: p.json.prorationDate });
    expect(r.json.status).toBe("active");
    const sub = await stripeSubscriptionOf(env, team.customerId);
    expect((sub.latest_invoice as Stripe.Invoice).amount_paid).toBe(p.json.amountDueNowCents);
    await env.delivered();
    expect(await planGrants(env, team.teamId)).toEqual({ total: 1_000_000n, count: 1 });
    expect((await view(team)).json).toMatchObject({ billingCycle: "annual", plan: { id: "starter" } });
  });

  it("switching cycles back and forth mints no credits; a cycle change to a bigger plan tops up to its month, as previewed", async () => {
    const team = await teamWithCard(env);
    await subscribe(team, { plan: "pro" });
    await env.delivered();
    for (const cycle of ["annual", "monthly", "annual", "monthly"] as const) {
      const p = await call(preview, team, { plan: "pro", billingCycle: cycle });
      expect(p.json).toMatchObject({ kind: "cycle_change", creditsGrantedNow: 0 });
      const r = await call(subscription.POST, team, { plan: "pro", billingCycle: cycle, idempotencyKey: key(), prorationDate: p.json.prorationDate });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      await env.delivered();
    }
    expect(await planGrants(env, team.teamId)).toEqual({ total: 20_000_000n, count: 1 });
    const up = await call(preview, team, { plan: "scale", billingCycle: "annual" });
    expect(up.json).toMatchObject({ kind: "cycle_change", creditsGrantedNow: 80_000_000 });
    await call(subscription.POST, team, { plan: "scale", billingCycle: "annual", idempotencyKey: key(), prorationDate: up.json.prorationDate });
    await env.delivered();
    expect(await planGrants(env, team.teamId)).toEqual({ total: 100_000_000n, count: 2 });
  });

  it("a declined card is PAYMENT_FAILED and leaves no subscription and the team on Free", async () => {
    const team = await teamWithCard(env, "pm_card_chargeCustomerFail");
    const before = await stripeCounts(env);
    const r = await subscribe(team, { plan: "pro" });
    expect(r.status).toBe(402);
    expect(r.json.error.code).toBe("PAYMENT_FAILED");
    await env.delivered();
    expect((await env.stripe.subscriptions.list({ customer: team.customerId, status: "all" })).data).toEqual([]);
    expect((await stripeCounts(env)).charges).toBe(before.charges);
    expect((await view(team)).json).toMatchObject({ plan: { id: "free" }, status: null });
  });
});

describe("subscribe without a card: Checkout in subscription mode", () => {
  it("answers an embedded session (or hosted on request), and completing it makes the team active on the plan", async () => {
    const team = await makeTeam(env.t.db);
    const r = await subscribe(team, { plan: "pro" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ outcome: "checkout", status: null, checkout: { sessionId: expect.stringMatching(/^cs_/), url: null } });
    expect(r.json.checkout.clientSecret).toEqual(expect.any(String));
    const s = await env.stripe.checkout.sessions.retrieve(r.json.checkout.sessionId);
    expect(s.mode).toBe("subscription");
    expect(s.return_url).toMatch(new RegExp(`/t/${team.slug}/subscription\\?checkout=\\{CHECKOUT_SESSION_ID\\}$`));
    // A second Checkout (another tab, another plan, the hosted page) closes the first: only one can ever be paid.
    const hosted = await subscribe(team, { plan: "scale", ui: "hosted" });
    expect(hosted.json.checkout.url).toMatch(/^http/);
    expect((await env.stripe.checkout.sessions.retrieve(r.json.checkout.sessionId)).status).toBe("expired");
    const again = await subscribe(team, { plan: "pro" });
    expect((await env.stripe.checkout.sessions.retrieve(hosted.json.checkout.sessionId)).status).toBe("expired");

    await env.control(`checkout_sessions/${again.json.checkout.sessionId}/complete`, { outcome: "paid" });
    await env.delivered();
    const v = await view(team);
    expect(v.json).toMatchObject({ plan: { id: "pro" }, status: "active", billingCycle: "monthly", planCredits: { granted: 20000000 } });
    expect(await planGrants(env, team.teamId)).toEqual({ total: 20_000_000n, count: 1 });
  });

  it("a subscription Stripe already has (webhooks not yet in) is adopted, never doubled: same plan active, another plan CONFLICT", async () => {
    const team = await teamWithCard(env);
    const price = (await env.stripe.prices.list({ lookup_keys: ["starter_monthly"], active: true })).data[0]!;
    const card = (await env.stripe.customers.retrieve(team.customerId)) as Stripe.Customer;
    await env.control("webhook", {}); // hold the webhooks back: the database has not heard of it
    try {
      await env.stripe.subscriptions.create({
        customer: team.customerId,
        items: [{ price: price.id }],
        default_payment_method: String(card.invoice_settings.default_payment_method),
        metadata: { team_id: team.teamId, plan: "starter" },
      });
      const before = await stripeCounts(env);
      const other = await subscribe(team, { plan: "pro" });
      expect(other.status).toBe(409);
      expect(other.json.error.code).toBe("CONFLICT");
      // The refusal copied Stripe's subscription: the page now shows Starter, and choosing it changes nothing.
      expect((await view(team)).json).toMatchObject({ plan: { id: "starter" }, status: "active" });
      expect((await subscribe(team, { plan: "starter" })).json).toMatchObject({ outcome: "unchanged", status: "active" });
      const after = await stripeCounts(env);
      expect([after.subscriptions - before.subscriptions, after.charges - before.charges, after.sessions - before.sessions]).toEqual([0, 0, 0]);
    } finally {
      await env.control("webhook", { url: env.webhookUrl, secret: env.emulator.webhookSecret });
    }
  });

  it("coming back from Checkout applies the subscription at once, for the team's own session only", async () => {
    const team = await makeTeam(env.t.db);
    const other = await makeTeam(env.t.db);
    const actor = { kind: "user" as const, userId: team.userId, teamId: team.teamId, role: "OWNER" as const, isPlatformAdmin: false };
    const r = await subscribe(team, { plan: "scale" });
    const sessionId = r.json.checkout.sessionId as string;
    const back = (a: typeof actor, id: unknown) => returnFromSubscriptionCheckout({ db: env.t.db, gateway: env.gateway, actor: a, sessionId: id });
    expect(await back(actor, sessionId)).toEqual({ found: true, checkout: "open", status: null, stripeDown: false });
    await env.control("webhook", {}); // no webhook arrives before the person is back
    try {
      await env.control(`checkout_sessions/${sessionId}/complete`, { outcome: "paid" });
      expect(await back({ ...actor, userId: other.userId, teamId: other.teamId }, sessionId)).toEqual({ found: false });
      expect(await back(actor, "cs_doesnotexist")).toEqual({ found: false });
      expect(await back(actor, "../../v1/customers")).toEqual({ found: false });
      expect(await back(actor, sessionId)).toEqual({ found: true, checkout: "complete", status: "active", stripeDown: false });
      expect((await view(team)).json.plan.id).toBe("scale");
    } finally {
      await env.control("webhook", { url: env.webhookUrl, secret: env.emulator.webhookSecret });
    }
  });
});

describe("refusals change nothing at Stripe", () => {
  it("unknown plan, Enterprise, bad cycle, bad key, extra fields, a member, another team", async () => {
    const team = await teamWithCard(env);
    const member = await env.t.db.user.create({ data: { email: `m-${key()}@example.test` } });
    await env.t.db.membership.create({ data: { teamId: team.teamId, userId: member.id, role: "MEMBER" } });
    const other = await makeTeam(env.t.db);
    const before = await stripeCounts(env);
    const cases: [Record<string, unknown>, number, string, string?][] = [
      [{ plan: "platinum" }, 400, "INVALID_PLAN"],
      [{ plan: "enterprise" }, 400, "INVALID_PLAN"],
      [{ plan: "payg", billingCycle: "annual" }, 400, "INVALID_PLAN"],
      [{ plan: "pro", billingCycle: "weekly" }, 400, "VALIDATION_FAILED", "billingCycle"],
      [{ plan: "pro", idempotencyKey: "x" }, 400, "VALIDATION_FAILED", "idempotencyKey"],
      [{ plan: "pro", amount: 1 }, 400, "VALIDATION_FAILED", "amount"],
      [{ plan: "pro", prorationDate: 1 }, 400, "VALIDATION_FAILED", "prorationDate"],
    ];
    for (const [body, status, code, field] of cases) {
      const r = await subscribe(team, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.code).toBe(code);
      if (field) expect(r.json.error.field).toBe(field);
    }
    expect((await subscribe(team, { plan: "enterprise" })).json.error.message).toMatch(/request form/);
    const asMember = await call(subscription.POST, team, { plan: "pro", billingCycle: "monthly", idempotencyKey: key() }, { as: member.id });
    expect(asMember.json.error.code).toBe("FORBIDDEN");
    const asOther = await call(subscription.POST, team, { plan: "pro", billingCycle: "monthly", idempotencyKey: key() }, { as: other.userId });
    expect([403, 404]).toContain(asOther.status);
    expect((await call(subscription.DELETE, team, undefined, { method: "DELETE", as: member.id })).json.error.code).toBe("FORBIDDEN");
    expect((await call(preview, team, { plan: "pro", billingCycle: "monthly" }, { as: member.id })).json.error.code).toBe("FORBIDDEN");
    expect((await call(portal, team, {}, { as: other.userId })).status).not.toBe(200);
    expect((await call(subscription.DELETE, team, undefined, { method: "DELETE" })).json.error.code).toBe("NOT_FOUND");
    expect(await stripeCounts(env)).toEqual(before);
    expect(await env.t.db.subscription.count({ where: { teamId: team.teamId } })).toBe(0);
  });
});

describe("POST /api/teams/:team/subscription/portal", () => {
  it("opens the customer portal returning to the Subscription page, and refuses a plan with the portal disabled", async () => {
    const team = await teamWithCard(env);
    const r = await call(portal, team, {});
    expect(r.status).toBe(200);
    expect(r.json.url).toMatch(/^http/);
    // Creditdesk's own configuration: cards, details, invoices, cancel at period end; plan changes stay on the page.
    const configs = (await env.stripe.billingPortal.configurations.list({ active: true })).data.filter((c) => c.metadata?.creditdesk);
    expect(configs).toHaveLength(1);
    expect(configs[0]!.features).toMatchObject({
      subscription_update: { enabled: false },
      subscription_cancel: { enabled: true, mode: "at_period_end" },
      payment_method_update: { enabled: true },
    });
    expect((await call(portal, team, {})).status).toBe(200);
    expect((await env.stripe.billingPortal.configurations.list({ active: true })).data.filter((c) => c.metadata?.creditdesk)).toHaveLength(1);
    await subscribe(team, { plan: "pro" });
    await env.t.db.plan.update({ where: { id: "pro" }, data: { portalEnabled: false } });
    try {
      const refused = await call(portal, team, {});
      expect(refused.status).toBe(403);
      expect(refused.json.error.code).toBe("BILLING_PORTAL_DISABLED");
      expect((await view(team)).json.portalEnabled).toBe(false);
    } finally {
      await env.t.db.plan.update({ where: { id: "pro" }, data: { portalEnabled: true } });
    }
    await env.delivered();
  });
});

// Last in the file: it moves the emulator's clock ahead of this machine's.
describe("the confirmation charges the preview", () => {
  it("even when time passes between them (the preview's proration date is sent back)", async () => {
    const team = await teamWithCard(env);
    await subscribe(team, { plan: "starter" });
    const p = await call(preview, team, { plan: "pro", billingCycle: "monthly" });
    expect(p.json.kind).toBe("upgrade");
    await env.control("clock/advance", { seconds: 3 * 86_400 });
    // Three days later the same change costs less; the preview's price holds.
    const later = await env.stripe.invoices.createPreview({
      customer: team.customerId,
      subscription: (await stripeSubscriptionOf(env, team.customerId)).id,
      subscription_details: {
        items: [
          {
            id: (await stripeSubscriptionOf(env, team.customerId)).items.data[0]!.id,
            price: (await env.stripe.prices.list({ lookup_keys: ["pro_monthly"] })).data[0]!.id,
          },
        ],
        proration_behavior: "always_invoice",
      },
    });
    expect(later.amount_due).toBeLessThan(p.json.amountDueNowCents);
    await subscribe(team, { plan: "pro", prorationDate: p.json.prorationDate });
    expect(((await stripeSubscriptionOf(env, team.customerId)).latest_invoice as Stripe.Invoice).amount_paid).toBe(p.json.amountDueNowCents);
    await env.delivered();
  });
});

describe("a custom plan made from an Enterprise request", () => {
  it("is offered to and subscribed by its own team only (annual, plan credits monthly, portal off); to another team it does not exist", async () => {
    const team = await teamWithCard(env);
    const other = await teamWithCard(env);
    const request = await env.t.db.planRequest.create({
      data: { teamId: team.teamId, requesterUserId: team.userId, company: "Acme", contactEmail: "cto@acme.test", expectedMonthlyCredits: 1n, message: "" },
    });
    const admin = await env.t.db.user.create({ data: { email: `admin-${key()}@example.test`, isPlatformAdmin: true } });
    const { planId } = await makeCustomPlan({
      db: env.t.db,
      requestId: request.id,
      actorUserId: admin.id,
      input: { name: "Acme contract", price: "12000", cycle: "annual", monthlyCredits: "500000000" },
    });

    const offers = (await view(team)).json.plans as { id: string; kind: string; annualPriceCents: number }[];
    expect(offers.find((p) => p.id === planId)).toMatchObject({ kind: "paid", annualPriceCents: 1_200_000 });
    expect(((await view(other)).json.plans as { id: string }[]).map((p) => p.id)).not.toContain(planId);
    const stranger = await subscribe(other, { plan: planId, billingCycle: "annual" });
    expect(stranger.json.error).toMatchObject({ code: "INVALID_PLAN" });
    expect((await subscribe(team, { plan: planId, billingCycle: "monthly" })).json.error).toMatchObject({ code: "INVALID_PLAN" });

    const r = await subscribe(team, { plan: planId, billingCycle: "annual" });
    expect(r.json).toEqual({ outcome: "active", status: "active", checkout: null });
    await env.delivered();
    expect((await view(team)).json).toMatchObject({ plan: { id: planId, monthlyCredits: 500000000 }, billingCycle: "annual", portalEnabled: false });
    expect(await planGrants(env, team.teamId)).toEqual({ total: 500_000_000n, count: 1 });
    const sub = await stripeSubscriptionOf(env, team.customerId);
    expect(sub.items.data[0]!.price).toMatchObject({ unit_amount: 1_200_000, recurring: { interval: "year" } });
    expect((await call(portal, team, {})).json.error).toMatchObject({ code: "BILLING_PORTAL_DISABLED" });
  });
});

describe("two subscribes at once", () => {
  it("two tabs subscribing with their own keys make one Stripe subscription and one charge", async () => {
    const team = await teamWithCard(env);
    const before = await stripeCounts(env);
    const answers = await Promise.all([subscribe(team, { plan: "starter" }), subscribe(team, { plan: "starter" })]);
    for (const a of answers) expect(a.status, JSON.stringify(a.json)).toBe(200);
    const after = await stripeCounts(env);
    expect(after.subscriptions - before.subscriptions).toBe(1);
    expect(after.charges - before.charges).toBe(1);
    await env.delivered();
    expect(await planGrants(env, team.teamId)).toEqual({ total: 1_000_000n, count: 1 });
  });
});

describe("a plan's price changes", () => {
  it("subscribers on the old price are still recognised: their renewal grants the plan credits; a change back makes a price again", async () => {
    const early = await teamWithCard(env);
    await subscribe(early, { plan: "pro" });
    await env.delivered();
    const old = await stripeSubscriptionOf(env, early.customerId);
    try {
      await env.t.db.plan.update({ where: { id: "pro" }, data: { monthlyPriceCents: 5900n } });
      const late = await teamWithCard(env);
      await subscribe(late, { plan: "pro" });
      await env.delivered();
      const moved = (await env.stripe.prices.retrieve(old.items.data[0]!.price.id)).lookup_key;
      expect(moved).toBeNull(); // the lookup key went to the new $59 price
      expect((await stripeSubscriptionOf(env, late.customerId)).items.data[0]!.price).toMatchObject({ unit_amount: 5900, lookup_key: "pro_monthly" });

      await env.control(`subscriptions/${old.id}/advance`, {});
      await env.delivered();
      expect(await planGrants(env, early.teamId)).toEqual({ total: 40_000_000n, count: 2 });
      expect((await view(early)).json).toMatchObject({ plan: { id: "pro" }, status: "active" });
    } finally {
      await env.t.db.plan.update({ where: { id: "pro" }, data: { monthlyPriceCents: 4900n } });
    }
    const again = await teamWithCard(env);
    await subscribe(again, { plan: "pro" });
    await env.delivered();
    expect((await stripeSubscriptionOf(env, again.customerId)).items.data[0]!.price).toMatchObject({ unit_amount: 4900, lookup_key: "pro_monthly" });
    expect(await planGrants(env, again.teamId)).toEqual({ total: 20_000_000n, count: 1 });
  });
});
