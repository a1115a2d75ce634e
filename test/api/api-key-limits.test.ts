import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Route handlers run as Next runs them, with the session replaced by a signed-in test user.
const session = vi.hoisted(() => ({ userId: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("../../lib/auth/config", () => ({ auth: async () => (session.userId ? { user: { id: session.userId } } : null) }));

import { POST as createKeyRoute } from "../../app/api/teams/[team]/api-keys/route";
import { DELETE as clearLimitRoute, PUT as setLimitRoute } from "../../app/api/teams/[team]/api-keys/[id]/limit/route";
import { GET as getBillings } from "../../app/api/v3/account/billings/route";
import { POST as postUsage } from "../../app/api/v1/usage/route";
import { GET as getBudget, POST as setBudget } from "../../app/api/v1/billing/budget/route";
import { DELETE as deleteWebhook, PATCH as updateWebhook } from "../../app/api/v1/webhooks/[id]/route";
import { GET as listWebhooks, POST as createWebhook } from "../../app/api/v1/webhooks/route";
import { POST as resendDelivery } from "../../app/api/v1/webhooks/deliveries/[id]/resend/route";
import { describeAudit } from "../../components/audit/describe-audit";
import { revokeApiKey } from "../../lib/billing/api-keys/revoke-api-key";
import { rollApiKeyLimitAlerts } from "../../lib/billing/api-keys/roll-limit-alerts";
import { setApiKeyLimit } from "../../lib/billing/api-keys/set-api-key-limit";
import { verifyApiKey } from "../../lib/billing/api-keys/verify-api-key";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { sendPendingEmails } from "../../lib/notifications/send-pending-emails";
import type { TeamRole } from "../../lib/db/generated/enums";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, makeTeamWithRoles, teamBalance, userActor } from "../billing/factories";
import { call, makeKey, snapshot } from "./helpers";

const APP = "http://app.test";
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url; // the route handlers' db() reads it on first use
  process.env.APP_URL = APP;
});
afterAll(() => t.close());

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** A dashboard call as a signed-in person (same-origin JSON). */
async function asUser(handler: Handler, userId: string | null, method: string, params: Record<string, string>, body?: unknown) {
  session.userId = userId;
  const res = await handler(
    new Request(`${APP}/api/x`, {
      method,
      headers: { origin: APP, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked by the assertions
  return { status: res.status, json: (text ? JSON.parse(text) : null) as any };
}

const ev = (k: string, quantity = 1) => ({ idempotency_key: k, operation: "add", quantity }); // "add" costs 1 credit a unit
const keyRow = (id: string) => t.db.apiKey.findUniqueOrThrow({ where: { id } });
const notes = (teamId: string, kind: string) => t.db.notification.findMany({ where: { teamId, kind }, orderBy: { createdAt: "asc" } });

describe("per-key spending limits through POST /api/v1/usage", () => {
  it("200 concurrent single events against a limit of 50: exactly 50 pass, the rest get 402 API_KEY_LIMIT_REACHED, spent never passes it", async () => {
    const team = await makeTeamWithRoles(t.db, { credits: 1_000_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const other = await makeKey(t.db, team.teamId, team.userId);
    await setApiKeyLimit({ db: t.db, actor: userActor(team.userId, team.teamId, "OWNER"), apiKeyId: key.id, limit: { credits: 50n, period: "DAY" } });

    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => call(postUsage, { key: key.secret, body: ev(`c-${i}`) })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(50);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(150);
    for (const r of refused) {
      expect(r.status).toBe(402);
      expect(r.json.error.code).toBe("API_KEY_LIMIT_REACHED");
      expect(r.json.error.message).toMatch(/spending limit/);
      expect(r.json.results[0]).toMatchObject({ status: "rejected", error: { code: "API_KEY_LIMIT_REACHED" } });
    }
    const spent = await t.db.ledgerEntry.aggregate({ where: { teamId: team.teamId, apiKeyId: key.id }, _sum: { amount: true }, _count: true });
    expect(spent._count).toBe(50);
    expect(spent._sum.amount).toBe(-50n);
    expect((await keyRow(key.id)).limitSpent).toBe(50n);
    expect(await teamBalance(t.db, team.teamId)).toBe(1_000_000n - 50n);
    expect((await verifyBalance({ db: t.db, teamId: team.teamId })).problems).toEqual([]);

    // The limit is the key's own: another key of the team still spends; a batch through the limited key is all refused.
    expect((await call(postUsage, { key: other.secret, body: ev("other-1") })).status).toBe(200);
    const batch = await call(postUsage, { key: key.secret, body: { events: [ev("b-1"), ev("b-2")] } });
    expect(batch.status).toBe(402);
    expect(batch.json.rejected).toBe(2);

    // The 80% alert went once to the owner and the billing member (with their addresses), not to the admin or member.
    const alerts = await notes(team.teamId, "api_key_limit_alert");
    expect(alerts.map((n) => n.userId).sort()).toEqual([team.users.OWNER, team.users.BILLING].sort());
    expect(alerts.every((n) => n.email && n.emailedAt === null && /80%/.test(n.title) && /of its 50 credits/.test(n.body))).toBe(true);
    // The pending-email sender mails them (nodemailer's JSON transport: the message as it would be sent).
    const sent: string[] = [];
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const real = transport.sendMail.bind(transport);
    transport.sendMail = (async (m: Parameters<typeof real>[0]) => {
      sent.push(String(m.to));
      return real(m);
    }) as typeof transport.sendMail;
    await sendPendingEmails({ db: t.db, transport, from: "billing@creditdesk.test" });
    const owners = await t.db.user.findMany({ where: { id: { in: [team.users.OWNER, team.users.BILLING] } }, select: { email: true } });
    expect(sent).toEqual(expect.arrayContaining(owners.map((u) => u.email)));
    expect((await notes(team.teamId, "api_key_limit_alert")).every((n) => n.emailedAt !== null)).toBe(true);
  });

  it("a batch is cut at the limit event by event, and a raised limit lets usage through again at once", async () => {
    const team = await makeTeam(t.db, { credits: 1_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const owner = userActor(team.userId, team.teamId, "OWNER");
    await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits: 10n, period: "MONTH" } });
    const r = await call(postUsage, { key: key.secret, body: { events: [ev("m-1", 4), ev("m-2", 4), ev("m-3", 4), ev("m-4", 2)] } });
    expect(r.status).toBe(200);
    expect(r.json.results.map((x: { status: string }) => x.status)).toEqual(["debited", "debited", "rejected", "debited"]);
    expect(r.json.results[2].error.code).toBe("API_KEY_LIMIT_REACHED");
    expect((await call(postUsage, { key: key.secret, body: ev("m-5") })).status).toBe(402);
    await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits: 11n, period: "MONTH" } });
    expect((await call(postUsage, { key: key.secret, body: ev("m-5") })).status).toBe(200);
    await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: null });
    expect((await call(postUsage, { key: key.secret, body: ev("m-6", 100) })).status).toBe(200);
  });
});

describe("limit alerts and the notes that they cleared", () => {
  it("alert at 80% once per period; a note when the limit is raised, and when a new period begins (by use or by the roll job)", async () => {
    const team = await makeTeamWithRoles(t.db, { credits: 100_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const owner = userActor(team.userId, team.teamId, "OWNER");
    const day1 = new Date("2026-12-07T10:00:00Z");
    const spend = (k: string, q: number, now: Date) =>
      recordUsage({ db: t.db, teamId: team.teamId, apiKeyId: key.id, events: [{ idempotencyKey: k, operation: "add", quantity: q }], now });
    await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits: 100n, period: "DAY" }, now: day1 });
    await spend("a1", 79, day1);
    expect(await notes(team.teamId, "api_key_limit_alert")).toHaveLength(0);
    await spend("a2", 1, day1);
    expect(await notes(team.teamId, "api_key_limit_alert")).toHaveLength(2);
    await spend("a3", 5, day1);
    expect(await notes(team.teamId, "api_key_limit_alert")).toHaveLength(2);
    expect((await keyRow(key.id)).limitAlertPeriodStart?.toISOString()).toBe("2026-12-07T00:00:00.000Z");

    // Raised past the 80% mark: cleared, with a note; lowered again: a new alert.
    await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits: 1000n, period: "DAY" }, now: day1 });
    const cleared = await notes(team.teamId, "api_key_limit_cleared");
    expect(cleared).toHaveLength(2);
    expect(cleared[0]!.body).toMatch(/the limit was raised/);
    expect((await keyRow(key.id)).limitAlertPeriodStart).toBeNull();
    const lowered = await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits: 90n, period: "DAY" }, now: day1 });
    expect(lowered.limit).toMatchObject({ credits: 90n, spent: 85n, period: "DAY" });
    expect(await notes(team.teamId, "api_key_limit_alert")).toHaveLength(4);

    // The next day: the first use through the key clears the alert with a note, and the day's spend starts at 0.
    const day2 = new Date("2026-12-08T00:00:01Z");
    const [r] = await spend("b1", 1, day2);
    expect(r!.status).toBe("debited");
    const afterDay = await notes(team.teamId, "api_key_limit_cleared");
    expect(afterDay).toHaveLength(4);
    expect(afterDay[3]!.body).toMatch(/a new period began/);
    expect(await keyRow(key.id)).toMatchObject({ limitSpent: 1n, limitAlertPeriodStart: null });

    // Alerted again on day 2, then nobody uses the key: the roll job clears it once the day is over.
    await spend("b2", 80, day2);
    expect(await notes(team.teamId, "api_key_limit_alert")).toHaveLength(6);
    await rollApiKeyLimitAlerts({ db: t.db, now: new Date("2026-12-08T23:59:59Z") }); // still day 2: stays
    expect((await keyRow(key.id)).limitAlertPeriodStart).not.toBeNull();
    expect(await rollApiKeyLimitAlerts({ db: t.db, now: new Date("2026-12-09T08:00:00Z") })).toBeGreaterThanOrEqual(1);
    expect(await notes(team.teamId, "api_key_limit_cleared")).toHaveLength(6);
    expect((await keyRow(key.id)).limitAlertPeriodStart).toBeNull();

    // Removing the limit of a key with a standing alert clears it too.
    await spend("c1", 75, new Date("2026-12-09T08:00:00Z"));
    expect((await keyRow(key.id)).limitAlertPeriodStart).not.toBeNull();
    await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: null, now: new Date("2026-12-09T09:00:00Z") });
    const removed = await notes(team.teamId, "api_key_limit_cleared");
    expect(removed).toHaveLength(8);
    expect(removed[7]!.body).toMatch(/the limit was removed/);
  });

  it("a week runs from Monday 00:00 UTC; setting a limit counts what the key already spent in the period", async () => {
    const team = await makeTeam(t.db, { credits: 10_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const owner = userActor(team.userId, team.teamId, "OWNER");
    const sunday = new Date("2026-12-06T23:00:00Z");
    const monday = new Date("2026-12-07T01:00:00Z");
    const wed = new Date("2026-12-09T12:00:00Z");
    await recordUsage({ db: t.db, teamId: team.teamId, apiKeyId: key.id, events: [{ idempotencyKey: "w0", operation: "add", quantity: 30 }], now: sunday });
    await recordUsage({ db: t.db, teamId: team.teamId, apiKeyId: key.id, events: [{ idempotencyKey: "w1", operation: "add", quantity: 20 }], now: monday });
    const set = await setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits: 25n, period: "WEEK" }, now: wed });
    expect(set.limit).toEqual({
      credits: 25n,
      period: "WEEK",
      spent: 20n,
      periodStart: new Date("2026-12-07T00:00:00Z"),
      periodEnd: new Date("2026-12-14T00:00:00Z"),
    });
    const [ok, no] = await recordUsage({
      db: t.db,
      teamId: team.teamId,
      apiKeyId: key.id,
      events: [
        { idempotencyKey: "w2", operation: "add", quantity: 5 },
        { idempotencyKey: "w3", operation: "add", quantity: 1 },
      ],
      now: wed,
    });
    expect([ok!.status, no!.status, no!.error?.code]).toEqual(["debited", "rejected", "API_KEY_LIMIT_REACHED"]);
  });
});

describe("PUT/DELETE /api/teams/:team/api-keys/:id/limit", () => {
  it("owners and admins set, change and clear a limit, each change audit-logged with a sentence", async () => {
    const team = await makeTeamWithRoles(t.db, { credits: 1_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const params = { team: team.slug, id: key.id };
    const set = await asUser(setLimitRoute as Handler, team.users.OWNER, "PUT", params, { credits: 5000, period: "WEEK" });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ id: key.id, test: false, limit: { credits: 5000, period: "WEEK", spent: 0 } });
    const changed = await asUser(setLimitRoute as Handler, team.users.ADMIN, "PUT", params, { credits: "7000", period: "MONTH" });
    expect(changed.json.limit).toMatchObject({ credits: 7000, period: "MONTH" });
    const same = await asUser(setLimitRoute as Handler, team.users.ADMIN, "PUT", params, { credits: 7000, period: "MONTH" });
    expect(same.status).toBe(200);
    const cleared = await asUser(clearLimitRoute as Handler, team.users.OWNER, "DELETE", params);
    expect(cleared.status).toBe(200);
    expect(cleared.json.limit).toBeNull();
    expect((await asUser(clearLimitRoute as Handler, team.users.OWNER, "DELETE", params)).status).toBe(200);

    const rows = await t.db.auditLog.findMany({ where: { teamId: team.teamId, action: "api_key.limit_changed" }, orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => describeAudit(r.action, r.data).what)).toEqual([
      "Set a spending limit on API key “billing key” (" + (await keyRow(key.id)).prefix + "…)",
      "Changed the spending limit of API key “billing key” (" + (await keyRow(key.id)).prefix + "…)",
      "Removed the spending limit of API key “billing key” (" + (await keyRow(key.id)).prefix + "…)",
    ]);
    expect(describeAudit(rows[1]!.action, rows[1]!.data).changes).toEqual([
      { label: "Limit", before: "5,000 credits", after: "7,000 credits" },
      { label: "Per", before: "week", after: "month" },
    ]);
    expect(rows.map((r) => r.actorUserId)).toEqual([team.users.OWNER, team.users.ADMIN, team.users.OWNER]);
  });

  it("refuses other roles, strangers, another team's key, a revoked key and bad input, and changes nothing", async () => {
    const team = await makeTeamWithRoles(t.db, { credits: 1_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const elsewhere = await makeTeam(t.db, { credits: 1_000n });
    const foreignKey = await makeKey(t.db, elsewhere.teamId, elsewhere.userId);
    const revoked = await makeKey(t.db, team.teamId, team.userId);
    await revokeApiKey({ db: t.db, teamId: team.teamId, apiKeyId: revoked.id, actorUserId: team.userId });
    const stranger = await makeTeam(t.db);
    const params = { team: team.slug, id: key.id };
    const good = { credits: 100, period: "DAY" };
    const state = async () => ({
      keys: await t.db.apiKey.findMany({ where: { teamId: { in: [team.teamId, elsewhere.teamId] } }, orderBy: { id: "asc" } }),
      audits: await t.db.auditLog.count({ where: { action: "api_key.limit_changed" } }),
    });
    const before = await state();
    const cases: [string, string | null, string, Record<string, string>, unknown, number, string, string?][] = [
      ["signed out", null, "PUT", params, good, 401, "UNAUTHENTICATED"],
      ["billing member", team.users.BILLING, "PUT", params, good, 403, "FORBIDDEN"],
      ["member", team.users.MEMBER, "PUT", params, good, 403, "FORBIDDEN"],
      ["member clearing", team.users.MEMBER, "DELETE", params, undefined, 403, "FORBIDDEN"],
      ["not in the team", stranger.userId, "PUT", params, good, 404, "NOT_FOUND"],
      ["another team's key", team.users.OWNER, "PUT", { team: team.slug, id: foreignKey.id }, good, 404, "NOT_FOUND"],
      ["another team's key cleared", team.users.OWNER, "DELETE", { team: team.slug, id: foreignKey.id }, undefined, 404, "NOT_FOUND"],
      ["no such key", team.users.OWNER, "PUT", { team: team.slug, id: "key_nope" }, good, 404, "NOT_FOUND"],
      ["revoked key", team.users.OWNER, "PUT", { team: team.slug, id: revoked.id }, good, 409, "CONFLICT"],
      ["negative", team.users.OWNER, "PUT", params, { credits: -5, period: "DAY" }, 400, "VALIDATION_FAILED", "credits"],
      ["zero", team.users.OWNER, "PUT", params, { credits: 0, period: "DAY" }, 400, "VALIDATION_FAILED", "credits"],
      ["huge", team.users.OWNER, "PUT", params, { credits: "1000000000000000001", period: "DAY" }, 400, "VALIDATION_FAILED", "credits"],
      ["fractional", team.users.OWNER, "PUT", params, { credits: 1.5, period: "DAY" }, 400, "VALIDATION_FAILED", "credits"],
      ["not a number", team.users.OWNER, "PUT", params, { credits: "lots", period: "DAY" }, 400, "VALIDATION_FAILED", "credits"],
      ["unknown period", team.users.OWNER, "PUT", params, { credits: 100, period: "YEAR" }, 400, "VALIDATION_FAILED", "period"],
      ["missing period", team.users.OWNER, "PUT", params, { credits: 100 }, 400, "VALIDATION_FAILED", "period"],
      ["unknown field", team.users.OWNER, "PUT", params, { ...good, currency: "usd" }, 400, "VALIDATION_FAILED", "currency"],
    ];
    for (const [name, user, method, p, body, status, code, field] of cases) {
      const r = await asUser((method === "PUT" ? setLimitRoute : clearLimitRoute) as Handler, user, method, p, body);
      expect(r.status, name).toBe(status);
      expect(r.json.error.code, name).toBe(code);
      expect(r.json.error.message, name).toBeTruthy();
      if (field) expect(r.json.error.field, name).toBe(field);
    }
    expect(await state()).toEqual(before);
  });
});

describe("test keys", () => {
  it("are created as cdk_test_ keys; spend the balance but never below zero, never the credit line; entries are marked test", async () => {
    const team = await makeTeamWithRoles(t.db, { credits: 100n, creditLimitCents: 10_000n });
    const created = await asUser(createKeyRoute as Handler, team.users.OWNER, "POST", { team: team.slug }, { name: "CI", role: "BILLING", mode: "test" });
    expect(created.status).toBe(201);
    expect(created.json.test).toBe(true);
    expect(created.json.secret).toMatch(/^cdk_test_[A-Za-z0-9_-]{43}$/);
    const testKey = created.json.secret as string;
    expect(await verifyApiKey({ db: t.db, secret: testKey })).toMatchObject({ ok: true, key: { test: true } });
    const live = await asUser(createKeyRoute as Handler, team.users.OWNER, "POST", { team: team.slug }, { name: "Prod", role: "BILLING" });
    expect(live.json).toMatchObject({ test: false });
    expect(live.json.secret).toMatch(/^cdk_live_/);
    const bad = await asUser(createKeyRoute as Handler, team.users.OWNER, "POST", { team: team.slug }, { name: "X", role: "BILLING", mode: "sandbox" });
    expect([bad.status, bad.json.error.field]).toEqual([400, "mode"]);

    // Past the balance a test key is refused, though the team has a credit line to draw on.
    const over = await call(postUsage, { key: testKey, body: ev("t-1", 150) });
    expect([over.status, over.json.error.code]).toEqual([402, "INSUFFICIENT_CREDITS"]);
    expect(await teamBalance(t.db, team.teamId)).toBe(100n);
    expect((await call(postUsage, { key: testKey, body: ev("t-2", 100) })).status).toBe(200);
    expect(await teamBalance(t.db, team.teamId)).toBe(0n);
    expect((await call(postUsage, { key: testKey, body: ev("t-3", 1) })).json.error.code).toBe("INSUFFICIENT_CREDITS");
    // Concurrent test usage at zero: all refused, the balance stays at zero.
    const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => call(postUsage, { key: testKey, body: ev(`t-r${i}`) })));
    expect(racing.every((r) => r.status === 402)).toBe(true);
    // A live key of the same team draws on the credit line as before.
    expect((await call(postUsage, { key: live.json.secret, body: ev("l-1", 5) })).status).toBe(200);
    expect(await teamBalance(t.db, team.teamId)).toBe(-5n);
    expect((await call(postUsage, { key: testKey, body: ev("t-4", 1) })).json.error.code).toBe("INSUFFICIENT_CREDITS");
    expect((await verifyBalance({ db: t.db, teamId: team.teamId })).problems).toEqual([]);

    const entries = await t.db.ledgerEntry.findMany({
      where: { teamId: team.teamId },
      orderBy: { seq: "asc" },
      select: { kind: true, amount: true, test: true },
    });
    expect(entries.map((e) => [e.kind, e.amount, e.test])).toEqual([
      ["TOPUP", 100n, false],
      ["USAGE", -100n, true],
      ["USAGE", -5n, false],
    ]);

    // GET /api/v3/account/billings says which entries are test, beside the seed's fields.
    const history = await call(getBillings, { key: live.json.secret });
    expect(history.status).toBe(200);
    expect(history.json.data.items.map((i: { type: string; test: boolean; amount: number }) => [i.type, i.test])).toEqual([
      ["usage", false],
      ["usage", true],
      ["topup", false],
    ]);
  });

  it("a test key changes none of the team's billing: budgets and webhook endpoints need a live key, and nothing changes", async () => {
    const team = await makeTeam(t.db, { credits: 1_000n });
    const created = await asUser(createKeyRoute as Handler, team.userId, "POST", { team: team.slug }, { name: "CI", role: "BILLING", mode: "test" });
    const testKey = created.json.secret as string;
    const before = { ...(await snapshot(t.db, team.teamId)), endpoints: await t.db.webhookEndpoint.count({ where: { teamId: team.teamId } }) };
    const hook = { url: "https://hooks.example.com/creditdesk", events: ["budget_alert"], secret: "s".repeat(32) };
    const refusals = [
      await call(setBudget, { key: testKey, body: { monthly_cap_usd: 0.01, hard_cap: true } }),
      await call(createWebhook, { key: testKey, body: hook }),
      await call(updateWebhook, { key: testKey, method: "PATCH", body: { enabled: false } }),
      await call(deleteWebhook, { key: testKey, method: "DELETE" }),
      await call(resendDelivery, { key: testKey, body: {} }),
    ];
    for (const r of refusals) {
      expect([r.status, r.json.error.code]).toEqual([403, "TEST_KEY_NOT_ALLOWED"]);
      expect(r.json.error.message).toContain("live key");
    }
    expect({ ...(await snapshot(t.db, team.teamId)), endpoints: await t.db.webhookEndpoint.count({ where: { teamId: team.teamId } }) }).toEqual(before);
    // It still records usage and reads.
    expect((await call(postUsage, { key: testKey, body: ev("ci-1") })).status).toBe(200);
    expect((await call(getBudget, { key: testKey })).status).toBe(200);
    expect((await call(listWebhooks, { key: testKey })).status).toBe(200);
  });

  it("a test key's limit and the live keys' are separate; a test key may carry a limit too", async () => {
    const team = await makeTeam(t.db, { credits: 1_000n });
    const created = await asUser(createKeyRoute as Handler, team.userId, "POST", { team: team.slug }, { name: "CI", role: "BILLING", mode: "test" });
    await setApiKeyLimit({
      db: t.db,
      actor: userActor(team.userId, team.teamId, "OWNER" as TeamRole),
      apiKeyId: created.json.id,
      limit: { credits: 3n, period: "DAY" },
    });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => call(postUsage, { key: created.json.secret, body: ev(`tl-${i}`) })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(3);
    expect(answers.filter((a) => a.json.error?.code === "API_KEY_LIMIT_REACHED")).toHaveLength(7);
    expect(await t.db.ledgerEntry.count({ where: { teamId: team.teamId, test: true } })).toBe(3);
  });
});
