import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

import * as subscribeRoute from "../../app/api/v1/billing/subscribe/route";
import * as subscriptionRoute from "../../app/api/v1/billing/subscription/route";
import * as checkoutRoute from "../../app/api/v1/billing/checkout/route";
import * as portalRoute from "../../app/api/v1/billing/portal/route";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { resetBillingConfig } from "../../lib/billing/config";
import { makeTeam } from "../billing/factories";
import { call, makeKey } from "../api/helpers";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";
import { planGrants, stripeCounts, stripeSubscriptionOf, teamWithCard } from "./helpers";

// The WAVIS subscription API, field by field against billing-api-plans-budgets, with a BILLING key.

let env: StripeTestEnv;
beforeAll(async () => {
  env = await startStripeTestEnv();
  process.env.BILLING_PORTAL_RETURN_URLS = "*.example.com,localhost";
  process.env.APP_URL = "https://billing.creditdesk.test";
  resetBillingConfig();
});
afterAll(async () => {
  delete process.env.BILLING_PORTAL_RETURN_URLS;
  delete process.env.APP_URL;
  resetBillingConfig();
  await env?.close();
});

const SEED_KEYS = ["annual_discount_pct", "billing_cycle", "current_period_end", "monthly_fcu_limit", "monthly_price_usd", "plan", "status"];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function billingKey(team: { teamId: string; userId: string }) {
  return (await makeKey(env.t.db, team.teamId, team.userId, "BILLING")).secret;
}
const subscribe = (key: string, body: unknown) => call(subscribeRoute.POST, { key, body });
const current = (key: string) => call(subscriptionRoute.GET, { key });

describe("GET /api/v1/billing/subscription", () => {
  it("a team with no subscription is on Free: status active, its Free cycle's end, monthly", async () => {
    const team = await makeTeam(env.t.db);
    const r = await current(await billingKey(team));
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(SEED_KEYS);
    expect(r.json).toEqual({
      plan: "free",
      status: "active",
      current_period_end: expect.stringMatching(/^\d{4}-\d{2}-01T00:00:00\.000Z$/),
      monthly_price_usd: 0,
      monthly_fcu_limit: 10000,
      billing_cycle: "monthly",
      annual_discount_pct: 17,
    });
  });
});

describe("POST /api/v1/billing/subscribe, DELETE /api/v1/billing/subscription", () => {
  it("subscribes with the saved card (seed shape), sets the customer's email, grants plan credits once, upgrades to annual, cancels and reactivates", async () => {
    const team = await teamWithCard(env);
    const key = await billingKey(team);
    const r = await subscribe(key, { plan: "pro", email: "billing@example.com", billing_cycle: "monthly" });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(SEED_KEYS);
    expect(r.json).toEqual({
      plan: "pro",
      status: "active",
      current_period_end: expect.stringMatching(ISO),
      monthly_price_usd: 49.0,
      monthly_fcu_limit: 20000000,
      billing_cycle: "monthly",
      annual_discount_pct: 17,
    });
    const sub = await stripeSubscriptionOf(env, team.customerId);
    expect(r.json.current_period_end).toBe(new Date((sub.items.data[0]!.current_period_end ?? 0) * 1000).toISOString());
    expect(((await env.stripe.customers.retrieve(team.customerId)) as Stripe.Customer).email).toBe("billing@example.com");
    // The same request again changes nothing and charges nothing.
    const counts = await stripeCounts(env);
    expect((await subscribe(key, { plan: "pro", email: "billing@example.com" })).json).toEqual(r.json);
    expect(await stripeCounts(env)).toEqual(counts);
    // A new billing contact with the same plan: only the email changes.
    expect((await subscribe(key, { plan: "pro", email: "finance@example.com" })).json).toEqual(r.json);
    expect(((await env.stripe.customers.retrieve(team.customerId)) as Stripe.Customer).email).toBe("finance@example.com");
    await env.delivered();
    expect(await planGrants(env, team.teamId)).toEqual({ total: 20_000_000n, count: 1 });
    expect((await current(key)).json).toEqual(r.json);

    // The seed's lifecycle example: Scale, annual, mid-cycle.
    const up = await subscribe(key, { plan: "scale", email: "ops@x.com", billing_cycle: "annual" });
    expect(up.json).toEqual({
      plan: "scale",
      status: "active",
      current_period_end: expect.stringMatching(ISO),
      monthly_price_usd: 165.17,
      monthly_fcu_limit: 100000000,
      billing_cycle: "annual",
      annual_discount_pct: 17,
    });
    expect((await stripeSubscriptionOf(env, team.customerId)).items.data[0]!.price.lookup_key).toBe("scale_annual");

    const cancel = await call(subscriptionRoute.DELETE, { key, method: "DELETE" });
    expect(cancel).toMatchObject({ status: 200, json: { status: "cancelled" } });
    expect(Object.keys(cancel.json)).toEqual(["status"]);
    expect((await current(key)).json).toMatchObject({ plan: "scale", status: "cancelled", current_period_end: up.json.current_period_end });
    expect((await call(subscriptionRoute.DELETE, { key, method: "DELETE" })).json).toEqual({ status: "cancelled" });
    const again = await subscribe(key, { plan: "scale", email: "ops@x.com", billing_cycle: "annual" });
    expect(again.json).toEqual(up.json);
    expect((await stripeSubscriptionOf(env, team.customerId)).cancel_at_period_end).toBe(false);
    await env.delivered();
  });

  it("with no payment method on file answers checkout_url (status incomplete) instead of status active", async () => {
    const team = await makeTeam(env.t.db);
    const key = await billingKey(team);
    const r = await subscribe(key, { plan: "starter", email: "billing@example.com", billing_cycle: "annual" });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      plan: "starter",
      status: "incomplete",
      current_period_end: null,
      monthly_price_usd: 7.47,
      monthly_fcu_limit: 1000000,
      billing_cycle: "annual",
      annual_discount_pct: 17,
      checkout_url: expect.stringMatching(/^http.*\/c\/pay\/cs_/),
    });
    const sessionId = /\/(cs_[A-Za-z0-9_]+)/.exec(r.json.checkout_url)![1]!;
    const s = await env.stripe.checkout.sessions.retrieve(sessionId);
    expect(s.mode).toBe("subscription");
    expect(s.success_url).toBe(`https://billing.creditdesk.test/t/${team.slug}/subscription?checkout={CHECKOUT_SESSION_ID}`);
    await env.control(`checkout_sessions/${sessionId}/complete`, { outcome: "paid" });
    await env.delivered();
    expect((await current(key)).json).toMatchObject({ plan: "starter", status: "active", billing_cycle: "annual" });
  });

  it("a change that must charge now with no card on file is NO_PAYMENT_METHOD; a declined card is PAYMENT_FAILED; nothing changes", async () => {
    const team = await teamWithCard(env);
    const key = await billingKey(team);
    await subscribe(key, { plan: "starter", email: "b@example.com" });
    const sub = await stripeSubscriptionOf(env, team.customerId);
    // A card that declines every charge becomes the one on file.
    const failing = await env.stripe.paymentMethods.attach("pm_card_chargeCustomerFail", { customer: team.customerId });
    await env.stripe.customers.update(team.customerId, { invoice_settings: { default_payment_method: failing.id } });
    await env.stripe.subscriptions.update(sub.id, { default_payment_method: failing.id });
    const declined = await subscribe(key, { plan: "pro", email: "b@example.com" });
    expect(declined.status).toBe(402);
    expect(declined.json.error.code).toBe("PAYMENT_FAILED");
    expect((await stripeSubscriptionOf(env, team.customerId)).items.data[0]!.price.lookup_key).toBe("starter_monthly");
    expect((await current(key)).json).toMatchObject({ plan: "starter", status: "active" });

    for (const pm of (await env.stripe.paymentMethods.list({ customer: team.customerId, type: "card" })).data) await env.stripe.paymentMethods.detach(pm.id);
    const before = await stripeCounts(env);
    const none = await subscribe(key, { plan: "scale", email: "b@example.com" });
    expect(none.status).toBe(402);
    expect(none.json.error).toMatchObject({ code: "NO_PAYMENT_METHOD" });
    expect(await stripeCounts(env)).toEqual(before);
    await env.delivered();
  });

  it("refuses unknown plans, Free, Enterprise, bad cycles, bad emails, read-only keys and no key, charging nothing", async () => {
    const team = await teamWithCard(env);
    const key = await billingKey(team);
    const readOnly = (await makeKey(env.t.db, team.teamId, team.userId, "READ_ONLY")).secret;
    const before = await stripeCounts(env);
    const cases: [unknown, number, string, string?][] = [
      [{ plan: "platinum", email: "a@example.com" }, 400, "INVALID_PLAN"],
      [{ plan: "free", email: "a@example.com" }, 400, "INVALID_PLAN"],
      [{ plan: "enterprise", email: "a@example.com" }, 400, "INVALID_PLAN"],
      [{ plan: "PRO", email: "a@example.com" }, 400, "INVALID_PLAN"],
      [{ plan: "payg", email: "a@example.com", billing_cycle: "annual" }, 400, "INVALID_PLAN"],
      [{ plan: "pro", email: "a@example.com", billing_cycle: "weekly" }, 400, "VALIDATION_FAILED", "billing_cycle"],
      [{ plan: "pro", email: "a@example.com", billing_cycle: 12 }, 400, "VALIDATION_FAILED", "billing_cycle"],
      [{ plan: "pro", email: "not-an-email" }, 400, "VALIDATION_FAILED", "email"],
      [{ plan: "pro", email: "a@example.com\u0000" }, 400, "VALIDATION_FAILED", "email"],
      [{ plan: "pro" }, 400, "VALIDATION_FAILED", "email"],
      [{ email: "a@example.com" }, 400, "VALIDATION_FAILED", "plan"],
      [{ plan: "pro", email: "a@example.com", team: "other" }, 400, "VALIDATION_FAILED", "team"],
    ];
    for (const [body, status, code, field] of cases) {
      const r = await subscribe(key, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.json.error.code, JSON.stringify(body)).toBe(code);
      if (field) expect(r.json.error.field).toBe(field);
    }
    expect((await subscribe(readOnly, { plan: "pro", email: "a@example.com" })).json.error.code).toBe("FORBIDDEN");
    expect((await call(subscriptionRoute.DELETE, { key: readOnly, method: "DELETE" })).json.error.code).toBe("FORBIDDEN");
    expect((await call(checkoutRoute.POST, { key: readOnly, body: { plan: "pro" } })).json.error.code).toBe("FORBIDDEN");
    expect((await call(portalRoute.POST, { key: readOnly, body: { return_url: "https://a.example.com/" } })).json.error.code).toBe("FORBIDDEN");
    expect((await subscribe("", { plan: "pro", email: "a@example.com" })).status).toBe(401);
    expect((await call(subscriptionRoute.DELETE, { key, method: "DELETE" })).json.error.code).toBe("NOT_FOUND");
    expect(await stripeCounts(env)).toEqual(before);
    expect(await env.t.db.subscription.count({ where: { teamId: team.teamId } })).toBe(0);
  });

  it("another team's key never reaches this team's subscription", async () => {
    const mine = await teamWithCard(env);
    const theirs = await teamWithCard(env);
    const theirKey = await billingKey(theirs);
    await subscribe(await billingKey(mine), { plan: "pro", email: "a@example.com" });
    const before = await stripeCounts(env);
    const r = await call(subscriptionRoute.DELETE, { key: theirKey, method: "DELETE", query: `?team=${mine.slug}` });
    expect(r.json.error.code).toBe("FORBIDDEN");
    expect((await call(subscriptionRoute.GET, { key: theirKey, query: `?team=${mine.slug}` })).json.error.code).toBe("FORBIDDEN");
    expect((await stripeSubscriptionOf(env, mine.customerId)).cancel_at_period_end).toBe(false);
    expect(await stripeCounts(env)).toEqual(before);
    await env.delivered();
  });

  it("STRIPE_UNAVAILABLE (502) when Stripe cannot be reached, nothing subscribed", async () => {
    const team = await teamWithCard(env);
    const key = await billingKey(team);
    const base = process.env.STRIPE_API_BASE;
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9";
    try {
      const r = await subscribe(key, { plan: "pro", email: "a@example.com" });
      expect(r.status).toBe(502);
      expect(r.json.error.code).toBe("STRIPE_UNAVAILABLE");
    } finally {
      process.env.STRIPE_API_BASE = base;
    }
    expect(await env.t.db.subscription.count({ where: { teamId: team.teamId } })).toBe(0);
  });
});

describe("POST /api/v1/billing/checkout", () => {
  it("answers session_id and client_secret of an embedded subscription Checkout; a subscribed team is told to use subscribe", async () => {
    const team = await makeTeam(env.t.db);
    const key = await billingKey(team);
    const r = await call(checkoutRoute.POST, { key, body: { plan: "pro", billing_cycle: "annual" } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json).sort()).toEqual(["client_secret", "session_id"]);
    expect(r.json.session_id).toMatch(/^cs_/);
    const s = await env.stripe.checkout.sessions.retrieve(r.json.session_id);
    expect(s).toMatchObject({ mode: "subscription", ui_mode: "embedded_page", client_secret: r.json.client_secret });
    expect((await call(checkoutRoute.POST, { key, body: { plan: "gold" } })).json.error.code).toBe("INVALID_PLAN");
    expect((await call(checkoutRoute.POST, { key, body: { plan: "pro", billing_cycle: "yearly" } })).json.error).toMatchObject({
      code: "VALIDATION_FAILED",
      field: "billing_cycle",
    });
    await env.control(`checkout_sessions/${r.json.session_id}/complete`, { outcome: "paid" });
    await env.delivered();
    expect((await current(key)).json).toMatchObject({ plan: "pro", status: "active", billing_cycle: "annual" });
    const again = await call(checkoutRoute.POST, { key, body: { plan: "scale" } });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("CONFLICT");
  });
});

describe("POST /api/v1/billing/portal", () => {
  it("answers a portal URL for an allowed return_url and RETURN_URL_NOT_ALLOWED for anything else", async () => {
    const team = await teamWithCard(env);
    const key = await billingKey(team);
    for (const url of ["https://dashboard.example.com/billing", "http://localhost:3000/billing", "https://billing.creditdesk.test/t/x/subscription"]) {
      const r = await call(portalRoute.POST, { key, body: { return_url: url } });
      expect(r.status, url).toBe(200);
      expect(Object.keys(r.json)).toEqual(["url"]);
      expect(r.json.url).toMatch(/^http/);
    }
    for (const url of [
      "https://example.com.evil.test",
      "https://evil.test/?x=.example.com",
      "https://evil.test#.example.com",
      "https://example.com@evil.test",
      "https://example.com/billing",
      "http://dashboard.example.com/billing",
      "javascript:alert(1)",
      "https://dashboard.example.com\\@evil.test",
    ]) {
      const r = await call(portalRoute.POST, { key, body: { return_url: url } });
      expect(r.status, url).toBe(400);
      expect(r.json.error).toMatchObject({ code: "RETURN_URL_NOT_ALLOWED", field: "return_url" });
    }
  });

  it("BILLING_PORTAL_DISABLED (403) when the team's plan turns the portal off", async () => {
    const team = await teamWithCard(env);
    const key = await billingKey(team);
    await subscribe(key, { plan: "starter", email: "a@example.com" });
    await env.t.db.plan.update({ where: { id: "starter" }, data: { portalEnabled: false } });
    try {
      const r = await call(portalRoute.POST, { key, body: { return_url: "https://dashboard.example.com/billing" } });
      expect(r.status).toBe(403);
      expect(r.json.error.code).toBe("BILLING_PORTAL_DISABLED");
    } finally {
      await env.t.db.plan.update({ where: { id: "starter" }, data: { portalEnabled: true } });
    }
    await env.delivered();
  });
});

describe("a test key (cdk_test_) never reaches Stripe", () => {
  it("subscribe, checkout, cancel and the portal are refused with TEST_KEY_NOT_ALLOWED, and nothing changes here or at Stripe", async () => {
    const team = await teamWithCard(env);
    const live = await billingKey(team);
    expect((await subscribe(live, { plan: "pro", email: "billing@example.com" })).status).toBe(200);
    const { secret: testKey } = await createApiKey({
      db: env.t.db,
      teamId: team.teamId,
      name: "CI",
      role: "BILLING",
      createdByUserId: team.userId,
      test: true,
    });
    expect(testKey).toMatch(/^cdk_test_/);
    const before = { counts: await stripeCounts(env), sub: await env.t.db.subscription.findUniqueOrThrow({ where: { teamId: team.teamId } }) };
    const refusals = [
      await subscribe(testKey, { plan: "scale", email: "billing@example.com", billing_cycle: "annual" }),
      await call(checkoutRoute.POST, { key: testKey, body: { plan: "scale", billing_cycle: "annual" } }),
      await call(subscriptionRoute.DELETE, { key: testKey }),
      await call(portalRoute.POST, { key: testKey, body: { return_url: "https://app.example.com/back" } }),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(403);
      expect(r.json.error).toMatchObject({ code: "TEST_KEY_NOT_ALLOWED", message: expect.stringContaining("live key") });
    }
    expect(await stripeCounts(env)).toEqual(before.counts);
    expect(await env.t.db.subscription.findUniqueOrThrow({ where: { teamId: team.teamId } })).toEqual(before.sub);
    // Reads still work with it.
    expect((await current(testKey)).json.plan).toBe("pro");
  });
});
