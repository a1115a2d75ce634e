import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Route handlers and server actions run as Next runs them, with the session replaced by a signed-in test user.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import * as revokeKey from "../../app/api/teams/[team]/api-keys/[id]/revoke/route";
import * as apiKeys from "../../app/api/teams/[team]/api-keys/route";
import * as autoTopUp from "../../app/api/teams/[team]/auto-top-up/route";
import * as budget from "../../app/api/teams/[team]/budget/route";
import * as balance from "../../app/api/teams/[team]/balance/route";
import * as billingDetails from "../../app/api/teams/[team]/billing-details/route";
import * as redeem from "../../app/api/teams/[team]/coupons/redeem/route";
import * as invoicePdf from "../../app/api/teams/[team]/invoices/[id]/pdf/route";
import * as invoices from "../../app/api/teams/[team]/invoices/route";
import * as ledgerExport from "../../app/api/teams/[team]/ledger/export/route";
import * as overview from "../../app/api/teams/[team]/overview/route";
import * as cardSetup from "../../app/api/teams/[team]/payment-method/setup/route";
import * as payment from "../../app/api/teams/[team]/payments/[id]/route";
import * as purchases from "../../app/api/teams/[team]/purchases/route";
import * as cancel from "../../app/api/teams/[team]/top-ups/[id]/cancel/route";
import * as quote from "../../app/api/teams/[team]/top-ups/quote/route";
import * as topUps from "../../app/api/teams/[team]/top-ups/route";
import * as v1Budget from "../../app/api/v1/billing/budget/route";
import * as v1Invoices from "../../app/api/v1/billing/invoices/route";
import * as v1BillingUsage from "../../app/api/v1/billing/usage/route";
import * as v1Usage from "../../app/api/v1/usage/route";
import * as adminCoupons from "../../app/api/admin/coupons/route";
import * as adminDisableCoupon from "../../app/api/admin/coupons/[id]/disable/route";
import { NextRequest } from "next/server";
import { proxy } from "../../proxy";
import { resolveTeamActor } from "../../lib/teams/resolve-team-actor";
import { makeKey } from "../api/helpers";
import { makeTeam } from "../billing/factories";
import { startStripeTestEnv, type StripeTestEnv } from "../stripe/helpers";

const APP = "http://app.test";

// What Next hands a route as a decoded path segment (NUL, lone surrogates), and raw forms in case a segment arrives undecoded.
const BAD_SEGMENTS = ["\u0000", "acme\u0000", "\u0000pay_1", "\ud800", "pay_\udfff", "%00", "%ED%A0%80", "%C0%AF", "%E0%80%AF", "\ufffd"];
// Raw query text as a client can send it: %00, UTF-8-encoded surrogates, overlong forms, bytes that are never UTF-8, broken escapes.
// %EF%BF%BD is U+FFFD, what Next's own decoding leaves of invalid UTF-8 before a route sees the URL.
const BAD_QUERY = ["%00", "a%00b", "%ED%A0%80", "%ED%BF%BF", "%C0%AF", "%C0%80", "%E0%80%AF", "%F4%90%80%80", "%FF", "%u0000", "%EF%BF%BD"];
// JSON body strings: JSON.stringify writes these as \u0000 and \ud800 escapes, which JSON.parse turns back into NUL and lone surrogates.
const BAD_STRINGS = ["\u0000", "a\u0000b", "\ud800", "x\udc00", "\udbff\u0000"];

type Params = Record<string, string>;
type TeamHandler = (req: Request, ctx: { params: Promise<{ team: string; id: string }> }) => Promise<Response>;
type Route = { name: string; handler: TeamHandler; method: string; path: string[]; body?: Record<string, unknown>; query?: string[] };

let env: StripeTestEnv;
let owner: { teamId: string; userId: string; slug: string };
let key: string;
let admin: { id: string };
beforeAll(async () => {
  env = await startStripeTestEnv();
  owner = await makeTeam(env.t.db, { credits: 1_000_000n });
  key = (await makeKey(env.t.db, owner.teamId, owner.userId, "BILLING")).secret;
  admin = await env.t.db.user.create({ data: { email: "admin@example.test", isPlatformAdmin: true } });
});
afterAll(() => env?.close());

const teamRoutes: Route[] = [
  { name: "GET balance", handler: balance.GET, method: "GET", path: ["team"] },
  { name: "GET overview", handler: overview.GET, method: "GET", path: ["team"] },
  { name: "GET auto-top-up", handler: autoTopUp.GET, method: "GET", path: ["team"] },
  { name: "PUT auto-top-up", handler: autoTopUp.PUT, method: "PUT", path: ["team"], body: { enabled: false, threshold: "1000", amount: "10", maxPerMonth: 3 } },
  { name: "GET budget", handler: budget.GET, method: "GET", path: ["team"] },
  {
    name: "PUT budget",
    handler: budget.PUT,
    method: "PUT",
    path: ["team"],
    body: { monthly_cap_usd: "5", alert_email: "ops@example.test", hard_cap: false, allow_soft_overage: true },
  },
  { name: "DELETE budget", handler: budget.DELETE, method: "DELETE", path: ["team"], body: {} },
  { name: "GET billing-details", handler: billingDetails.GET, method: "GET", path: ["team"] },
  {
    name: "PUT billing-details",
    handler: billingDetails.PUT,
    method: "PUT",
    path: ["team"],
    body: {
      companyName: "Acme",
      addressLine1: "1 Road",
      addressLine2: "Unit 2",
      city: "Springfield",
      region: "IL",
      postalCode: "62701",
      country: "US",
      taxId: "US123",
      billingEmail: "billing@example.test",
    },
  },
  { name: "POST coupons/redeem", handler: redeem.POST, method: "POST", path: ["team"], body: { code: "NOSUCHCODE" } },
  { name: "GET invoices", handler: invoices.GET, method: "GET", path: ["team"], query: ["cursor"] },
  { name: "POST invoices", handler: invoices.POST, method: "POST", path: ["team"], body: { paymentId: "pay_nosuch" } },
  { name: "GET invoices/:id/pdf", handler: invoicePdf.GET, method: "GET", path: ["team", "id"] },
  { name: "GET ledger/export", handler: ledgerExport.GET, method: "GET", path: ["team"], query: ["from", "to"] },
  { name: "POST payment-method/setup", handler: cardSetup.POST, method: "POST", path: ["team"], body: {} },
  { name: "GET payments/:id", handler: payment.GET, method: "GET", path: ["team", "id"], query: ["refresh"] },
  { name: "POST purchases", handler: purchases.POST, method: "POST", path: ["team"], body: { bundle: "100", idempotencyKey: "hostile-0001" } },
  { name: "POST top-ups/:id/cancel", handler: cancel.POST, method: "POST", path: ["team", "id"], body: {} },
  { name: "POST top-ups/quote", handler: quote.POST, method: "POST", path: ["team"], body: { amount: "25", coupon: "NOSUCHCODE" } },
  {
    name: "POST top-ups",
    handler: topUps.POST,
    method: "POST",
    path: ["team"],
    body: { amount: "25", method: "card", coupon: "NOSUCHCODE", ui: "hosted", idempotencyKey: "hostile-0002" },
  },
  { name: "GET api-keys", handler: apiKeys.GET, method: "GET", path: ["team"] },
  { name: "POST api-keys", handler: apiKeys.POST, method: "POST", path: ["team"], body: { name: "k", role: "READ_ONLY" } },
  { name: "POST api-keys/:id/revoke", handler: revokeKey.POST, method: "POST", path: ["team", "id"], body: {} },
];

/** A same-origin request from the dashboard (JSON, Origin of the app), as the browser sends it. */
async function callTeam(route: Route, params: Params, opts: { query?: string; body?: string } = {}, as = owner.userId) {
  session.userId = as;
  const mutating = route.method !== "GET";
  const init: RequestInit = {
    method: route.method,
    headers: mutating ? { "content-type": "application/json", origin: APP } : {},
    body: mutating ? (opts.body ?? JSON.stringify(route.body ?? {})) : undefined,
  };
  const res = await route.handler(new Request(`${APP}/api/teams/x${opts.query ?? ""}`, init), {
    params: Promise.resolve(params as { team: string; id: string }),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: (() => {
      try {
        return JSON.parse(text) as { error?: { code: string; message: string } };
      } catch {
        return null;
      }
    })(),
  };
}

const goodParams = (route: Route): Params => Object.fromEntries(route.path.map((p) => [p, p === "team" ? owner.slug : "pay_nosuch"]));

function expectRefused(r: { status: number; text: string; json: { error?: { code: string; message: string } } | null }, what: string) {
  expect([400, 404], `${what} → ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
  expect(r.json?.error?.code, what).toMatch(/^(VALIDATION_FAILED|NOT_FOUND)$/);
  expect(r.json?.error?.message, what).toBeTruthy();
}

describe("NUL bytes, lone surrogates and invalid UTF-8 in any id, slug, query or body answer 400/404, never 500", () => {
  it("every path segment (team slug, payment id, invoice id) of every dashboard route", async () => {
    for (const route of teamRoutes) {
      for (const name of route.path) {
        for (const bad of BAD_SEGMENTS) {
          expectRefused(await callTeam(route, { ...goodParams(route), [name]: bad }), `${route.name} ${name}=${JSON.stringify(bad)}`);
        }
      }
    }
  });

  it("every query parameter (named, unknown, and as a name) of every dashboard route", async () => {
    for (const route of teamRoutes) {
      for (const name of [...(route.query ?? []), "x"]) {
        for (const bad of BAD_QUERY) {
          expectRefused(await callTeam(route, goodParams(route), { query: `?${name}=${bad}` }), `${route.name} ?${name}=${bad}`);
        }
      }
      for (const bad of BAD_QUERY) expectRefused(await callTeam(route, goodParams(route), { query: `?${bad}=1` }), `${route.name} ?${bad}=1`);
    }
  });

  it("every string field of every dashboard JSON body, and strings nested where no field is expected", async () => {
    const before = await env.t.db.payment.count();
    for (const route of teamRoutes.filter((r) => r.body)) {
      for (const field of Object.keys(route.body!)) {
        if (typeof route.body![field] !== "string") continue;
        for (const bad of BAD_STRINGS) {
          expectRefused(
            await callTeam(route, goodParams(route), { body: JSON.stringify({ ...route.body, [field]: bad }) }),
            `${route.name} ${field}=${JSON.stringify(bad)}`,
          );
        }
      }
      expectRefused(await callTeam(route, goodParams(route), { body: JSON.stringify({ ...route.body, ["k\u0000"]: 1 }) }), `${route.name} key with NUL`);
    }
    expect(await env.t.db.payment.count()).toBe(before);
    expect(await env.t.db.billingDetails.count({ where: { teamId: owner.teamId } })).toBe(0);
  });

  it("the public API (/api/v1): query, team selector and bodies, with an API key and with a session", async () => {
    type V1 = (req: Request) => Promise<Response>;
    const get: [string, V1][] = [
      ["budget", v1Budget.GET],
      ["invoices", v1Invoices.GET],
      ["billing/usage", v1BillingUsage.GET],
    ];
    const call = async (h: V1, init: { method?: string; query?: string; body?: string; as: "key" | "session" }) => {
      session.userId = init.as === "session" ? owner.userId : null;
      const headers: Record<string, string> = init.as === "key" ? { authorization: `Bearer ${key}` } : { origin: APP };
      if (init.body !== undefined) headers["content-type"] = "application/json";
      const res = await h(new Request(`${APP}/api/v1/x${init.query ?? ""}`, { method: init.method ?? "GET", headers, body: init.body }));
      const text = await res.text();
      return { status: res.status, text, json: JSON.parse(text) as { error?: { code: string; message: string } } };
    };
    for (const [name, h] of get) {
      for (const bad of BAD_QUERY) {
        for (const as of ["key", "session"] as const) {
          for (const q of [`?team=${bad}`, `?cursor=${bad}`, `?limit=${bad}`, `?x=${bad}`, `?${bad}=1`]) {
            expectRefused(
              await call(h, { query: as === "session" && !q.startsWith("?team") ? `?team=${owner.slug}&${q.slice(1)}` : q, as }),
              `GET ${name} ${q} as ${as}`,
            );
          }
        }
      }
    }
    const entries = await env.t.db.ledgerEntry.count({ where: { teamId: owner.teamId } });
    const usage = { idempotency_key: "hostile-usage-1", operation: "matmul", quantity: 1 };
    for (const bad of BAD_STRINGS) {
      for (const body of [
        { ...usage, idempotency_key: bad },
        { ...usage, operation: bad },
        { ...usage, metadata: { note: bad } },
        { ...usage, metadata: { [`k${bad}`]: "v" } },
        { ...usage, metadata: { deep: [{ deeper: { note: bad } }] } },
        { events: [usage, { ...usage, idempotency_key: `hostile-usage-2${bad}` }] },
      ]) {
        expectRefused(await call(v1Usage.POST, { method: "POST", body: JSON.stringify(body), as: "key" }), `POST usage ${JSON.stringify(body)}`);
      }
      for (const body of [{ monthly_cap_usd: `10${bad}` }, { monthly_cap_usd: "10", alert_email: `a${bad}@example.test` }]) {
        expectRefused(await call(v1Budget.POST, { method: "POST", body: JSON.stringify(body), as: "key" }), `POST budget ${JSON.stringify(body)}`);
      }
    }
    expect(await env.t.db.ledgerEntry.count({ where: { teamId: owner.teamId } })).toBe(entries);
    expect(await env.t.db.budget.count({ where: { teamId: owner.teamId } })).toBe(0);
  });

  it("API keys (routes) and server actions: the team slug and every input string", async () => {
    const createKey = teamRoutes.find((r) => r.name === "POST api-keys")!;
    const revokeKeyRoute = teamRoutes.find((r) => r.name === "POST api-keys/:id/revoke")!;
    for (const bad of [...BAD_SEGMENTS, ...BAD_STRINGS]) {
      const r = await callTeam(createKey, { team: bad });
      expect(r.json?.error?.code ?? "ok", `slug ${JSON.stringify(bad)}`).toMatch(/^(NOT_FOUND|VALIDATION_FAILED)$/);
    }
    for (const bad of BAD_STRINGS) {
      const created = await callTeam(createKey, { team: owner.slug }, { body: JSON.stringify({ name: `key ${bad}`, role: "READ_ONLY" }) });
      expect(created.json?.error?.code ?? "ok", `name ${JSON.stringify(bad)}`).toBe("VALIDATION_FAILED");
      const revoked = await callTeam(revokeKeyRoute, { team: owner.slug, id: `key_${bad}` });
      expect(revoked.json?.error?.code ?? "ok", `id ${JSON.stringify(bad)}`).toMatch(/^(NOT_FOUND|VALIDATION_FAILED)$/);
    }
    expect(await env.t.db.apiKey.count({ where: { teamId: owner.teamId } })).toBe(1);

    // The admin console's coupon routes, as its fetch sends them (JSON carries NUL and lone surrogates as escapes).
    session.userId = admin.id;
    const adminPost = (handler: TeamHandler, body: unknown, params: Params = {}) =>
      callTeam({ name: "admin", handler, method: "POST", path: [], body: body as Record<string, unknown> }, params, { body: JSON.stringify(body) }, admin.id);
    for (const bad of BAD_STRINGS) {
      const fields = [
        ["code", `SAVE${bad}`],
        ["description", `Spring ${bad}`],
        ["grantCredits", `100${bad}`],
        ["expiresAt", `2030-01-01${bad}`],
      ] as const;
      for (const [name, value] of fields) {
        const r = await adminPost(adminCoupons.POST, { code: "SPRING25", grantCredits: "1000", [name]: value });
        expect(r.json?.error?.code, `${name}=${JSON.stringify(value)}`).toBe("VALIDATION_FAILED");
      }
      expectRefused(await adminPost(adminDisableCoupon.POST, {}, { id: `cpn_${bad}` }), `disable cpn_${JSON.stringify(bad)}`);
    }
    expect(await env.t.db.coupon.count()).toBe(0);
  });

  it("resolveTeamActor (every team page, action and route) finds nothing for a slug or id PostgreSQL cannot hold", async () => {
    for (const bad of BAD_SEGMENTS) {
      expect(await resolveTeamActor({ db: env.t.db, userId: owner.userId, team: { slug: bad } })).toBeNull();
      expect(await resolveTeamActor({ db: env.t.db, userId: owner.userId, team: { id: bad } })).toBeNull();
      expect(await resolveTeamActor({ db: env.t.db, userId: bad, team: { slug: owner.slug } })).toBeNull();
    }
    expect((await resolveTeamActor({ db: env.t.db, userId: owner.userId, team: { slug: owner.slug } }))?.team.id).toBe(owner.teamId);
  });

  it("the proxy answers 400 for any page or API URL whose path or query does not decode to storable text", async () => {
    const cookie = { cookie: "authjs.session-token=x" };
    const hostile = [
      "/t/%ED%A0%80/overview",
      "/t/%C0%AF/top-up",
      "/t/%FF/invoices",
      "/t/acme%00/overview",
      "/t/%E0%80%AF/overview",
      "/t/%zz/overview",
      "/api/teams/%ED%BF%BF/balance",
      "/api/teams/acme/payments/%00",
      "/api/v1/billing/invoices?cursor=%C0%80",
      "/t/acme/top-up?canceled=%00",
      "/t/acme/top-up/return?session_id=%ED%A0%80",
      "/signin?callbackUrl=%F4%90%80%80",
      "/admin?%00=1",
      "/api/teams/acme/balance?x=%EF%BF%BD",
      "/t/%EF%BF%BD/overview",
    ];
    for (const path of hostile) {
      const res = proxy(new NextRequest(`${APP}${path}`, { headers: cookie }));
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe("VALIDATION_FAILED");
    }
    for (const path of [
      "/t/acme/overview",
      "/t/acme/top-up?canceled=pay_1&page=2",
      "/api/teams/acme/balance",
      "/signin?callbackUrl=%2Ft%2Facme%2F%C3%A9",
      "/t/caf%C3%A9/overview",
    ]) {
      expect(proxy(new NextRequest(`${APP}${path}`, { headers: cookie })).status, path).not.toBe(400);
    }
    // Signed out, a billing page still goes to sign-in, and other paths pass.
    expect(proxy(new NextRequest(`${APP}/t/acme/overview`)).headers.get("location")).toBe(`${APP}/signin?callbackUrl=%2Ft%2Facme%2Foverview`);
    expect(proxy(new NextRequest(`${APP}/api/teams/acme/balance`)).headers.get("location")).toBeNull();
  });
});
