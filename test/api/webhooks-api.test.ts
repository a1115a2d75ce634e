import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as webhooksRoute from "../../app/api/v1/webhooks/route";
import * as webhookRoute from "../../app/api/v1/webhooks/[id]/route";
import * as deliveriesRoute from "../../app/api/v1/webhooks/[id]/deliveries/route";
import * as deliveryRoute from "../../app/api/v1/webhooks/deliveries/[id]/route";
import * as resendRoute from "../../app/api/v1/webhooks/deliveries/[id]/resend/route";
import { WEBHOOK_DELIVER_JOB } from "../../lib/billing/webhooks/event-types";
import type { Db } from "../../lib/db/client";
import { setProcessQueue, startQueue, type JobDefinition, type Queue } from "../../lib/jobs/queue";
import { makeTeam } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { call, makeKey } from "./helpers";

// POST /api/v1/webhooks as the seed sends it, and the rest of the endpoint API, through the real route handlers and
// the embedded PostgreSQL. Refusals answer the one error record and change nothing.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES;
});
afterAll(() => t.close());
afterEach(() => {
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES;
});

const SECRET = "min-32-char-shared-secret-abcdefgh1234";
// A public address literal: the guard needs no DNS for it (this machine has none).
const PUBLIC_URL = "https://93.184.215.14/billing-events";
const seedBody = { url: PUBLIC_URL, events: ["invoice_created", "invoice_paid", "invoice_failed", "budget_alert"], secret: SECRET };

/** A handler of a dynamic route, called with its params as Next passes them. */
const withId = (handler: (req: Request, ctx?: { params?: Promise<Record<string, string>> }) => Promise<Response>, id: string) => (req: Request) =>
  handler(req, { params: Promise.resolve({ id }) });

async function teamWithKeys() {
  const team = await makeTeam(t.db);
  const key = await makeKey(t.db, team.teamId, team.userId, "BILLING");
  const readOnly = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
  return { ...team, key: key.secret, readOnly: readOnly.secret };
}

/** Everything the webhook API could change for a team. */
async function webhookState(db: Db, teamId: string) {
  const [endpoints, audits] = await Promise.all([
    db.webhookEndpoint.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db.auditLog.count({ where: { teamId, action: { startsWith: "webhook_endpoint." } } }),
  ]);
  return { endpoints, audits };
}

/** Deliveries as the engine would leave them (the engine itself is another part): one event each, a second apart. */
async function seedDeliveries(db: Db, teamId: string, endpointId: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 3, 1, 12, 0, i));
    const event = await db.webhookEvent.create({ data: { teamId, type: "invoice_paid", data: { n: i }, dedupeKey: `t-${endpointId}-${i}`, createdAt: at } });
    const d = await db.webhookDelivery.create({
      data: {
        eventId: event.id,
        endpointId,
        status: i % 2 ? "SUCCEEDED" : "PENDING",
        attempts: 1 + (i % 3),
        lastStatusCode: i % 2 ? 200 : 503,
        lastLatencyMs: 40 + i,
        lastAttemptAt: at,
        createdAt: at,
      },
    });
    ids.push(d.id);
  }
  return ids;
}

describe("POST /api/v1/webhooks (the seed's request)", () => {
  it("creates the endpoint, answers 201 without the secret, and lists, reads, changes and deletes it", async () => {
    const team = await teamWithKeys();
    const created = await call(webhooksRoute.POST, { key: team.key, body: seedBody });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      url: PUBLIC_URL,
      events: ["invoice_created", "invoice_paid", "invoice_failed", "budget_alert"],
      status: "enabled",
      disabled_reason: null,
      failing_since: null,
      description: null,
      secret_hint: "…1234",
    });
    expect(created.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(JSON.stringify(created.json)).not.toContain(SECRET);
    const id = created.json.id as string;
    const stored = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ teamId: team.teamId, secret: SECRET, status: "ENABLED" });

    const list = await call(webhooksRoute.GET, { key: team.readOnly });
    expect(list.status).toBe(200);
    expect(list.json.webhooks).toEqual([created.json]);
    expect(JSON.stringify(list.json)).not.toContain(SECRET);
    expect((await call(withId(webhookRoute.GET, id), { key: team.readOnly })).json).toEqual(created.json);

    const off = await call(withId(webhookRoute.PATCH, id), { method: "PATCH", key: team.key, body: { enabled: false, description: "Billing sync" } });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ status: "disabled", disabled_reason: "owner", description: "Billing sync" });

    // Disabled by the worker after failures: turning it back on clears why and since when.
    await t.db.webhookEndpoint.update({ where: { id }, data: { disabledReason: "FAILING", failingSince: new Date("2026-04-01T00:00:00Z") } });
    expect((await call(withId(webhookRoute.GET, id), { key: team.key })).json).toMatchObject({ status: "disabled", disabled_reason: "failing" });
    const on = await call(withId(webhookRoute.PATCH, id), {
      method: "PATCH",
      key: team.key,
      body: { enabled: true, events: ["balance_low", "invoice_paid"], secret: "another-shared-secret-of-32-chars-wxyz" },
    });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({
      status: "enabled",
      disabled_reason: null,
      failing_since: null,
      events: ["invoice_paid", "balance_low"],
      secret_hint: "…wxyz",
    });
    expect(await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).toMatchObject({ disabledReason: null, failingSince: null });

    const gone = await call(withId(webhookRoute.DELETE, id), { method: "DELETE", key: team.key });
    expect(gone.status).toBe(200);
    expect(gone.json.id).toBe(id);
    expect((await call(withId(webhookRoute.GET, id), { key: team.key })).status).toBe(404);
    expect((await call(webhooksRoute.GET, { key: team.key })).json.webhooks).toEqual([]);

    const audit = await t.db.auditLog.findMany({ where: { teamId: team.teamId, targetId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([
      "webhook_endpoint.created",
      "webhook_endpoint.updated",
      "webhook_endpoint.updated",
      "webhook_endpoint.deleted",
    ]);
    expect(audit.every((a) => a.actorApiKeyId !== null)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(JSON.stringify(audit)).not.toContain("another-shared-secret");
  });

  it("accepts a local receiver only when the allow setting is on", async () => {
    const team = await teamWithKeys();
    const local = { ...seedBody, url: "http://127.0.0.1:4010/hooks" };
    const refused = await call(webhooksRoute.POST, { key: team.key, body: local });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: "WEBHOOK_URL_BLOCKED", field: "url" });
    process.env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = "1";
    const allowed = await call(webhooksRoute.POST, { key: team.key, body: local });
    expect(allowed.status).toBe(201);
    expect(allowed.json.url).toBe("http://127.0.0.1:4010/hooks");
  });
});

describe("bad input and the wrong caller: a clear error, nothing changed", () => {
  it("refuses bad bodies with the field named", async () => {
    const team = await teamWithKeys();
    const before = await webhookState(t.db, team.teamId);
    const cases: [unknown, string, string, RegExp?][] = [
      [{ ...seedBody, url: "ftp://93.184.215.14/x" }, "url", "WEBHOOK_URL_INVALID", /https:\/\/ or http:\/\//],
      [{ ...seedBody, url: "javascript:alert(1)" }, "url", "WEBHOOK_URL_INVALID"],
      [{ ...seedBody, url: "not a url" }, "url", "WEBHOOK_URL_INVALID"],
      [{ ...seedBody, url: "https://user:pw@93.184.215.14/x" }, "url", "WEBHOOK_URL_INVALID"],
      [{ ...seedBody, url: "http://127.0.0.1/x" }, "url", "WEBHOOK_URL_BLOCKED", /private network/],
      [{ ...seedBody, url: "http://169.254.169.254/latest/meta-data" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ ...seedBody, url: "http://10.0.0.8/hook" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ ...seedBody, url: "http://[::1]:8080/hook" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ ...seedBody, url: "http://localhost:3000/hook" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ ...seedBody, url: "http://[::ffff:7f00:1]/hook" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ ...seedBody, url: `https://93.184.215.14/${"a".repeat(2100)}` }, "url", "VALIDATION_FAILED"],
      [{ ...seedBody, secret: "too-short-secret" }, "secret", "VALIDATION_FAILED", /at least 32 characters/],
      [{ ...seedBody, secret: "x".repeat(257) }, "secret", "VALIDATION_FAILED"],
      [{ ...seedBody, secret: "a shared secret with spaces in it, long enough" }, "secret", "VALIDATION_FAILED", /without spaces/],
      [{ url: PUBLIC_URL, events: ["invoice_paid"] }, "secret", "VALIDATION_FAILED"],
      [{ ...seedBody, events: ["invoice_paid", "invoice_exploded"] }, "events[1]", "VALIDATION_FAILED", /"invoice_exploded" is not an event type/],
      [{ ...seedBody, events: [] }, "events", "VALIDATION_FAILED", /at least one/],
      [{ ...seedBody, events: ["invoice_paid", "invoice_paid"] }, "events", "VALIDATION_FAILED", /twice/],
      [{ ...seedBody, events: "invoice_paid" }, "events", "VALIDATION_FAILED"],
      [{ ...seedBody, description: "d".repeat(201) }, "description", "VALIDATION_FAILED"],
      [{ ...seedBody, surprise: 1 }, "surprise", "VALIDATION_FAILED"],
      [{ ...seedBody, secret: `${"s".repeat(32)}\u0000` }, "secret", "VALIDATION_FAILED", /NUL/],
      [{ ...seedBody, description: "nul \u0000 byte" }, "description", "VALIDATION_FAILED", /NUL/],
    ];
    for (const [body, field, code, message] of cases) {
      const r = await call(webhooksRoute.POST, { key: team.key, body });
      expect(r.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(r.json.error, JSON.stringify(body).slice(0, 120)).toMatchObject({ code, field });
      if (message) expect(r.json.error.message).toMatch(message);
    }
    const huge = await call(webhooksRoute.POST, { key: team.key, rawBody: JSON.stringify({ ...seedBody, description: "x".repeat(5 * 1024 * 1024) }) });
    expect(huge.status).toBe(400);
    expect(huge.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "body" });
    expect((await call(webhooksRoute.POST, { key: team.key, rawBody: "{not json" })).status).toBe(400);
    expect(await webhookState(t.db, team.teamId)).toEqual(before);
  });

  it("refuses another team's endpoint (404), a key without billing:write (403) and no key (401)", async () => {
    const mine = await teamWithKeys();
    const other = await teamWithKeys();
    const theirs = (await call(webhooksRoute.POST, { key: other.key, body: seedBody })).json.id as string;
    const own = (await call(webhooksRoute.POST, { key: mine.key, body: seedBody })).json.id as string;
    const [otherBefore, mineBefore] = [await webhookState(t.db, other.teamId), await webhookState(t.db, mine.teamId)];
    const [delivery] = await seedDeliveries(t.db, other.teamId, theirs, 1);

    expect((await call(withId(webhookRoute.GET, theirs), { key: mine.key })).status).toBe(404);
    expect((await call(withId(webhookRoute.PATCH, theirs), { method: "PATCH", key: mine.key, body: { enabled: false } })).status).toBe(404);
    expect((await call(withId(webhookRoute.DELETE, theirs), { method: "DELETE", key: mine.key })).status).toBe(404);
    expect((await call(withId(deliveriesRoute.GET, theirs), { key: mine.key })).status).toBe(404);
    expect((await call(withId(deliveryRoute.GET, delivery!), { key: mine.key })).status).toBe(404);
    expect((await call(withId(resendRoute.POST, delivery!), { key: mine.key, body: {} })).status).toBe(404);
    expect((await call(withId(webhookRoute.GET, "whe_nope"), { key: mine.key })).status).toBe(404);
    expect((await call(webhooksRoute.GET, { key: mine.key })).json.webhooks.map((w: { id: string }) => w.id)).toEqual([own]);

    const forbidden = await call(webhooksRoute.POST, { key: mine.readOnly, body: seedBody });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.error.code).toBe("FORBIDDEN");
    expect((await call(withId(webhookRoute.PATCH, own), { method: "PATCH", key: mine.readOnly, body: { enabled: false } })).status).toBe(403);
    expect((await call(withId(webhookRoute.DELETE, own), { method: "DELETE", key: mine.readOnly })).status).toBe(403);
    expect((await call(withId(resendRoute.POST, delivery!), { key: other.readOnly, body: {} })).status).toBe(403);

    const anonymous = await call(webhooksRoute.POST, { body: seedBody });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe("UNAUTHENTICATED");
    expect((await call(webhooksRoute.GET, {})).status).toBe(401);
    expect((await call(withId(webhookRoute.DELETE, own), { method: "DELETE", key: "cd_live_not_a_real_key_000000000000" })).status).toBe(401);

    expect(await webhookState(t.db, other.teamId)).toEqual(otherBefore);
    expect(await webhookState(t.db, mine.teamId)).toEqual(mineBefore);
  });

  it("refuses a bad change and keeps the endpoint as it was", async () => {
    const team = await teamWithKeys();
    const id = (await call(webhooksRoute.POST, { key: team.key, body: seedBody })).json.id as string;
    const before = await webhookState(t.db, team.teamId);
    const patches: [unknown, string, string][] = [
      [{ url: "http://192.168.1.10/hook" }, "url", "WEBHOOK_URL_BLOCKED"],
      [{ url: "gopher://93.184.215.14/" }, "url", "WEBHOOK_URL_INVALID"],
      [{ events: [] }, "events", "VALIDATION_FAILED"],
      [{ events: ["nope"] }, "events[0]", "VALIDATION_FAILED"],
      [{ secret: "short" }, "secret", "VALIDATION_FAILED"],
      [{ enabled: "yes" }, "enabled", "VALIDATION_FAILED"],
      [{ id: "whe_other" }, "id", "VALIDATION_FAILED"],
    ];
    for (const [body, field, code] of patches) {
      const r = await call(withId(webhookRoute.PATCH, id), { method: "PATCH", key: team.key, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error, JSON.stringify(body)).toMatchObject({ code, field });
    }
    expect(await webhookState(t.db, team.teamId)).toEqual(before);
  });

  it("holds a team to 20 endpoints, also when requests race for the last place", async () => {
    const team = await teamWithKeys();
    for (let i = 0; i < 18; i++) expect((await call(webhooksRoute.POST, { key: team.key, body: seedBody })).status).toBe(201);
    const racing = await Promise.all(Array.from({ length: 4 }, () => call(webhooksRoute.POST, { key: team.key, body: seedBody })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
    expect(racing.find((r) => r.status === 409)!.json.error.code).toBe("CONFLICT");
    expect(await t.db.webhookEndpoint.count({ where: { teamId: team.teamId } })).toBe(20);
  });
});

describe("deliveries and resend", () => {
  let queue: Queue | null = null;
  afterEach(async () => {
    setProcessQueue(null);
    await queue?.stop();
    queue = null;
  });

  it("lists an endpoint's deliveries newest first in keyset pages, and one delivery with its attempts", async () => {
    const team = await teamWithKeys();
    const id = (await call(webhooksRoute.POST, { key: team.key, body: seedBody })).json.id as string;
    const ids = await seedDeliveries(t.db, team.teamId, id, 25);
    const seen: string[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const r: Awaited<ReturnType<typeof call>> = await call(withId(deliveriesRoute.GET, id), {
        key: team.readOnly,
        query: `?limit=10${cursor ? `&cursor=${cursor}` : ""}`,
      });
      expect(r.status).toBe(200);
      sizes.push(r.json.deliveries.length);
      seen.push(...r.json.deliveries.map((d: { id: string }) => d.id));
      cursor = r.json.next_cursor;
      expect(r.json.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual([...ids].reverse());
    const first = (await call(withId(deliveriesRoute.GET, id), { key: team.key, query: "?limit=1" })).json.deliveries[0];
    expect(first).toEqual({
      id: ids[24],
      event_id: expect.any(String),
      event_type: "invoice_paid",
      status: "pending",
      attempts: 1,
      last_status_code: 503,
      last_latency_ms: 64,
      last_error: null,
      created_at: "2026-04-01T12:00:24.000Z",
      last_attempt_at: "2026-04-01T12:00:24.000Z",
      next_attempt_at: expect.any(String),
      delivered_at: null,
    });

    await t.db.webhookAttempt.createMany({
      data: [
        { deliveryId: ids[24]!, number: 2, statusCode: 200, latencyMs: 30, manual: true },
        { deliveryId: ids[24]!, number: 1, statusCode: 503, latencyMs: 64, error: "HTTP 503" },
      ],
    });
    const one = await call(withId(deliveryRoute.GET, ids[24]!), { key: team.readOnly });
    expect(one.status).toBe(200);
    expect(one.json.delivery).toMatchObject({ id: ids[24], endpoint_id: id });
    expect(one.json.attempts.map((a: { number: number; manual: boolean }) => [a.number, a.manual])).toEqual([
      [1, false],
      [2, true],
    ]);

    for (const q of ["?limit=0", "?limit=101", "?limit=-1", "?limit=abc", "?cursor=whd_not_mine"]) {
      const r = await call(withId(deliveriesRoute.GET, id), { key: team.key, query: q });
      expect(r.status, q).toBe(400);
    }
  });

  it("queues one manual attempt on the job queue (202), and says so when no queue runs here (503)", async () => {
    const team = await teamWithKeys();
    const id = (await call(webhooksRoute.POST, { key: team.key, body: seedBody })).json.id as string;
    const [delivery] = await seedDeliveries(t.db, team.teamId, id, 1);

    const noQueue = await call(withId(resendRoute.POST, delivery!), { key: team.key, body: {} });
    expect(noQueue.status).toBe(503);
    expect(noQueue.json.error.code).toBe("SERVICE_UNAVAILABLE");

    const jobs = [{ name: WEBHOOK_DELIVER_JOB, run: async () => {} }] as JobDefinition<never>[];
    queue = await startQueue({ connectionString: t.url, jobs, work: false, schedule: false, onError: () => {} });
    setProcessQueue(queue);
    const queued = await call(withId(resendRoute.POST, delivery!), { key: team.key, body: {} });
    expect(queued.status).toBe(202);
    expect(queued.json).toEqual({ delivery_id: delivery, status: "queued" });
    const rows = await t.db.$queryRaw<{ data: { deliveryId: string; manual: boolean } }[]>`SELECT data FROM pgboss.job WHERE name = ${WEBHOOK_DELIVER_JOB}`;
    expect(rows.map((r) => r.data)).toEqual([{ deliveryId: delivery, manual: true }]);
  });
});
