import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Route handlers run as Next runs them, with the session cookie replaced by a signed-in test user.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import * as autoTopUp from "../../app/api/teams/[team]/auto-top-up/route";
import * as budget from "../../app/api/teams/[team]/budget/route";
import * as billingDetails from "../../app/api/teams/[team]/billing-details/route";
import * as redeem from "../../app/api/teams/[team]/coupons/redeem/route";
import * as invoices from "../../app/api/teams/[team]/invoices/route";
import * as cardSetup from "../../app/api/teams/[team]/payment-method/setup/route";
import * as purchases from "../../app/api/teams/[team]/purchases/route";
import * as cancel from "../../app/api/teams/[team]/top-ups/[id]/cancel/route";
import * as quote from "../../app/api/teams/[team]/top-ups/quote/route";
import * as topUps from "../../app/api/teams/[team]/top-ups/route";
import * as v1Budget from "../../app/api/v1/billing/budget/route";
import * as v1Usage from "../../app/api/v1/usage/route";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { makeKey } from "../api/helpers";
import { makeTeam } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

const APP = "http://app.test";

type Handler = (req: Request, ctx: { params: Promise<{ team: string; id: string }> }) => Promise<Response>;
type Route = { name: string; handler: Handler; method: "POST" | "PUT" | "DELETE"; body: () => unknown; id?: () => string };

let env: StripeTestEnv;
let owner: { teamId: string; userId: string; slug: string };
let key: string;
let pendingId: string;
beforeAll(async () => {
  env = await startStripeTestEnv();
  owner = await makeTeam(env.t.db, { credits: 1_000_000n });
  key = (await makeKey(env.t.db, owner.teamId, owner.userId, "BILLING")).secret;
  await createCoupon({ db: env.t.db, actorUserId: owner.userId, input: { code: "FREE500", grantCredits: "500" } });
  const pay = await env.t.db.payment.create({
    data: { teamId: owner.teamId, method: "card", amountCents: 2500n, credits: 2_000_000n, idempotencyKey: "cross-site-pending" },
  });
  pendingId = pay.id;
});
afterAll(() => env?.close());

// Every route under /api/teams/[team] that changes state. Each body is one that succeeds (or fails for a business
// reason) when the request is same-origin JSON.
const routes: Route[] = [
  { name: "PUT auto-top-up", handler: autoTopUp.PUT, method: "PUT", body: () => ({ enabled: false, threshold: "1000", amount: "10", maxPerMonth: 3 }) },
  {
    name: "PUT budget",
    handler: budget.PUT,
    method: "PUT",
    body: () => ({ monthly_cap_usd: "5", alert_email: "", hard_cap: true, allow_soft_overage: true }),
  },
  { name: "DELETE budget", handler: budget.DELETE, method: "DELETE", body: () => ({}) },
  { name: "PUT billing-details", handler: billingDetails.PUT, method: "PUT", body: () => ({ companyName: "Acme" }) },
  { name: "POST coupons/redeem", handler: redeem.POST, method: "POST", body: () => ({ code: "FREE500" }) },
  { name: "POST invoices", handler: invoices.POST, method: "POST", body: () => ({ paymentId: pendingId }) },
  { name: "POST payment-method/setup", handler: cardSetup.POST, method: "POST", body: () => ({}) },
  { name: "POST purchases", handler: purchases.POST, method: "POST", body: () => ({ bundle: "100", idempotencyKey: "cross-site-buy-1" }) },
  { name: "POST top-ups/:id/cancel", handler: cancel.POST, method: "POST", body: () => ({}), id: () => pendingId },
  { name: "POST top-ups/quote", handler: quote.POST, method: "POST", body: () => ({ amount: "25" }) },
  {
    name: "POST top-ups",
    handler: topUps.POST,
    method: "POST",
    body: () => ({ amount: "25", method: "card", ui: "hosted", idempotencyKey: "cross-site-top-up-1" }),
  },
];

async function send(route: Route, headers: Record<string, string>, body: string | undefined = JSON.stringify(route.body())) {
  session.userId = owner.userId;
  const params = { team: owner.slug, id: route.id?.() ?? "" };
  const res = await route.handler(new Request(`${APP}/api/teams/${owner.slug}/x`, { method: route.method, headers, body }), {
    params: Promise.resolve(params),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as { error?: { code: string; message: string } } };
}

/** Everything these routes could change. */
async function snapshot() {
  const db = env.t.db;
  const [team, payments, entries, redemptions, details, auto, sessions, audit] = await Promise.all([
    db.team.findUniqueOrThrow({ where: { id: owner.teamId }, select: { balance: true, stripeCustomerId: true } }),
    db.payment.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
    db.ledgerEntry.count(),
    db.couponRedemption.count(),
    db.billingDetails.findMany(),
    db.autoTopUp.findMany(),
    env.control<{ counts: Record<string, number> }>("state").then((s) => s.counts["checkout.session"] ?? 0),
    db.auditLog.count(),
  ]);
  return { team, payments, entries, redemptions, details, auto, sessions, audit };
}

describe("cookie-authenticated routes that change state refuse cross-site requests", () => {
  const crossSite: [string, Record<string, string>][] = [
    ["a cross-site Origin", { origin: "https://evil.example", "content-type": "application/json" }],
    ["a sibling subdomain's Origin", { origin: "http://evil.app.test", "content-type": "application/json" }],
    ["the app's host on another scheme", { origin: "https://app.test", "content-type": "application/json" }],
    ["the app's host on another port", { origin: "http://app.test:8080", "content-type": "application/json" }],
    ["Origin: null (sandboxed frame, data: URL)", { origin: "null", "content-type": "application/json" }],
    [
      "a cross-site Origin that says same-origin in Sec-Fetch-Site",
      { origin: "https://evil.example", "sec-fetch-site": "same-origin", "content-type": "application/json" },
    ],
    ["no Origin and Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", "content-type": "application/json" }],
    ["no Origin and Sec-Fetch-Site: same-site", { "sec-fetch-site": "same-site", "content-type": "application/json" }],
    ["neither Origin nor Sec-Fetch-Site", { "content-type": "application/json" }],
    ["a cross-site HTML form (urlencoded)", { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" }],
  ];
  const notJson: [string, Record<string, string>][] = [
    ["no content type", { origin: APP }],
    ["text/plain (a form's enctype, no CORS preflight)", { origin: APP, "content-type": "text/plain" }],
    ["application/x-www-form-urlencoded", { origin: APP, "content-type": "application/x-www-form-urlencoded" }],
    ["multipart/form-data", { origin: APP, "content-type": "multipart/form-data; boundary=x" }],
    ["application/jsonp", { origin: APP, "content-type": "application/jsonp" }],
    ["text/plain; application/json", { origin: APP, "content-type": "text/plain; application/json" }],
  ];

  it("every mutating dashboard route: a cross-site request gets 403 and changes nothing", async () => {
    const before = await snapshot();
    for (const route of routes) {
      for (const [what, headers] of crossSite) {
        const r = await send(route, headers);
        expect(r.status, `${route.name}: ${what}`).toBe(403);
        expect(r.json.error?.code, `${route.name}: ${what}`).toBe("FORBIDDEN");
        expect(r.json.error?.message, `${route.name}: ${what}`).toMatch(/cross-site/);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("every mutating dashboard route: a same-origin request that is not JSON gets 415 and changes nothing", async () => {
    const before = await snapshot();
    for (const route of routes) {
      for (const [what, headers] of notJson) {
        const r = await send(route, headers);
        expect(r.status, `${route.name}: ${what}`).toBe(415);
        expect(r.json.error?.code, `${route.name}: ${what}`).toBe("UNSUPPORTED_MEDIA_TYPE");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("a same-origin JSON request passes (by Origin, or by Sec-Fetch-Site when a browser sends no Origin)", async () => {
    for (const route of routes) {
      const ok: Record<string, string>[] = [
        { origin: APP, "content-type": "application/json" },
        { origin: APP, "content-type": "Application/JSON; charset=utf-8" },
        { "sec-fetch-site": "same-origin", "content-type": "application/json" },
        { "sec-fetch-site": "none", "content-type": "application/json" },
        { origin: APP, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      ];
      for (const headers of ok) {
        const r = await send(route, headers);
        expect(r.json.error?.message ?? "", `${route.name}: ${JSON.stringify(headers)} → ${JSON.stringify(r.json)}`).not.toMatch(/cross-site/);
        expect(r.status, `${route.name}: ${JSON.stringify(headers)}`).not.toBe(415);
        expect(r.status, `${route.name}: ${JSON.stringify(headers)} → ${JSON.stringify(r.json)}`).toBeLessThan(500);
      }
    }
    expect((await env.t.db.billingDetails.findUnique({ where: { teamId: owner.teamId } }))?.companyName).toBe("Acme");
    expect(await env.t.db.couponRedemption.count({ where: { teamId: owner.teamId } })).toBe(1);
  });

  it("the origin the app is served at (APP_URL behind a proxy) is same-origin too", async () => {
    const saved = process.env.APP_URL;
    process.env.APP_URL = "https://billing.example.com";
    try {
      const route = routes.find((r) => r.name === "PUT billing-details")!;
      expect((await send(route, { origin: "https://billing.example.com", "content-type": "application/json" })).status).toBe(200);
      expect((await send(route, { origin: "https://evil.example", "content-type": "application/json" })).status).toBe(403);
    } finally {
      if (saved === undefined) delete process.env.APP_URL;
      else process.env.APP_URL = saved;
    }
  });

  it("/api/v1 with a session cookie: cross-site 403, not JSON 415; with an API key no Origin is needed", async () => {
    session.userId = owner.userId;
    const budget = (headers: Record<string, string>, body = JSON.stringify({ monthly_cap_usd: "100.00" })) =>
      v1Budget.POST(new Request(`${APP}/api/v1/billing/budget?team=${owner.slug}`, { method: "POST", headers, body }));
    expect((await budget({ origin: "https://evil.example", "content-type": "application/json" })).status).toBe(403);
    expect((await budget({ "content-type": "application/json" })).status).toBe(403);
    expect((await budget({ origin: APP, "content-type": "text/plain" })).status).toBe(415);
    expect(await env.t.db.budget.count({ where: { teamId: owner.teamId } })).toBe(0);
    expect((await budget({ origin: APP, "content-type": "application/json" })).status).toBe(200);

    session.userId = null;
    const viaKey = await budget({ authorization: `Bearer ${key}`, "content-type": "application/json" }, JSON.stringify({ monthly_cap_usd: "200.00" }));
    expect(viaKey.status).toBe(200);
    const usage = await v1Usage.POST(
      new Request(`${APP}/api/v1/usage`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ idempotency_key: "cross-site-usage-1", operation: "matmul", quantity: 3 }),
      }),
    );
    expect(usage.status).toBe(200);
    // A key is never taken from a cookie, so a program's request needs no Origin even when a cookie rides along.
    session.userId = owner.userId;
    const both = await budget({ authorization: `Bearer ${key}`, "content-type": "application/json" }, JSON.stringify({ monthly_cap_usd: "300.00" }));
    expect(both.status).toBe(200);
  });

  it("reads stay readable cross-site (GET changes nothing, and a page's fetch of its own data sends no Origin)", async () => {
    session.userId = owner.userId;
    const r = await v1Budget.GET(new Request(`${APP}/api/v1/billing/budget?team=${owner.slug}`, { headers: { "sec-fetch-site": "cross-site" } }));
    expect(r.status).toBe(200);
  });
});
