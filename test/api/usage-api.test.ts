import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "../../app/api/v1/usage/route";
import { revokeApiKey } from "../../lib/billing/api-keys/revoke-api-key";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { setOperationPrice } from "../../lib/billing/usage/set-operation-price";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "../billing/factories";
import { call, makeKey, snapshot } from "./helpers";

let t: TestDatabase;
let team: { teamId: string; userId: string; slug: string };
let key: { id: string; secret: string };
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url; // the route handlers' db() reads it on first use
  team = await makeTeam(t.db, { credits: 1_000_000n });
  key = await makeKey(t.db, team.teamId, team.userId, "BILLING");
  // Dear operations (an admin may price one at up to 10^12 credits a unit), before the routes first read the prices.
  await setOperationPrice({ db: t.db, operation: "adv.pricey", creditsPerUnit: 1_000_000_000_000n });
  await setOperationPrice({ db: t.db, operation: "adv.dear", creditsPerUnit: 10_000_000n });
});
afterAll(() => t.close());

const ev = (k: string, operation = "add", quantity: unknown = 1) => ({ idempotency_key: k, operation, quantity });

describe("POST /api/v1/usage: authentication and permission", () => {
  it("refuses a missing, malformed, unknown or revoked key with 401, a read-only key or another team with 403, and changes nothing", async () => {
    const other = await makeTeam(t.db, { credits: 1000n });
    const otherKey = await makeKey(t.db, other.teamId, other.userId, "BILLING");
    const readOnly = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const revoked = await makeKey(t.db, team.teamId, team.userId, "BILLING");
    await revokeApiKey({ db: t.db, teamId: team.teamId, apiKeyId: revoked.id, actorUserId: team.userId });
    const before = [await snapshot(t.db, team.teamId), await snapshot(t.db, other.teamId)];
    const body = ev("auth-1");
    const cases: [string, Parameters<typeof call>[1], number, RegExp][] = [
      ["missing", { body }, 401, /Authorization: Bearer/],
      ["not bearer", { body, headers: { authorization: "Basic abc" } }, 401, /not a Creditdesk API key/],
      ["malformed", { body, key: "sk_test_123" }, 401, /not a Creditdesk API key/],
      ["unknown", { body, key: `cdk_live_${"A".repeat(43)}` }, 401, /not valid/],
      ["revoked", { body, key: revoked.secret }, 401, /revoked/],
      ["read-only", { body, key: readOnly.secret }, 403, /usage:record/],
      ["other team by id", { body, key: otherKey.secret, query: `?team=${team.teamId}` }, 403, /another team/],
      ["other team by slug", { body, key: otherKey.secret, headers: { "x-creditdesk-team": team.slug } }, 403, /another team/],
    ];
    for (const [name, opts, status, message] of cases) {
      const r = await call(POST, opts);
      expect(r.status, name).toBe(status);
      expect(r.json.error.code, name).toBe(status === 401 ? "UNAUTHENTICATED" : "FORBIDDEN");
      expect(r.json.error.message, name).toMatch(message);
      if (status === 401) expect(r.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect([await snapshot(t.db, team.teamId), await snapshot(t.db, other.teamId)]).toEqual(before);
    // Naming its own team is fine.
    const own = await call(POST, { body: ev("auth-own"), key: otherKey.secret, query: `?team=${other.slug}` });
    expect(own.status).toBe(200);
  });
});

describe("POST /api/v1/usage: malformed bodies", () => {
  it("answer 400 naming the offending field and change nothing", async () => {
    const before = await snapshot(t.db, team.teamId);
    const good = (i: number) => ev(`bad-${i}`);
    const many = Array.from({ length: 1001 }, (_, i) => good(i));
    const cases: [string, Parameters<typeof call>[1], string][] = [
      ["negative", { body: ev("n", "add", -5) }, "quantity"],
      ["zero", { body: ev("z", "add", 0) }, "quantity"],
      ["fractional", { body: { events: [good(1), ev("f", "add", 1.5)] } }, "events[1].quantity"],
      ["huge", { body: { events: [good(1), good(2), ev("h", "add", 1e30)] } }, "events[2].quantity"],
      ["past safe integers", { rawBody: `{"idempotency_key":"s","operation":"add","quantity":9007199254740993}` }, "quantity"],
      ["string quantity", { body: ev("s", "add", "5") }, "quantity"],
      ["unknown operation", { body: { events: [good(1), good(2), good(3), ev("u", "no_such_op")] } }, "events[3].operation"],
      ["1,001 events", { body: { events: many } }, "events"],
      ["no events", { body: { events: [] } }, "events"],
      ["events not an array", { body: { events: "x" } }, "events"],
      ["number key", { body: { events: [{ idempotency_key: 7, operation: "add", quantity: 1 }] } }, "events[0].idempotency_key"],
      ["empty key", { body: ev("") }, "idempotency_key"],
      ["long key", { body: ev("k".repeat(201)) }, "idempotency_key"],
      ["missing operation", { body: { idempotency_key: "m", quantity: 1 } }, "operation"],
      ["unknown field", { body: { events: [{ ...good(1), quantiy: 3 }] } }, "events[0].quantiy"],
      ["unknown top-level field", { body: { events: [good(1)], extra: true } }, "extra"],
      ["bad timestamp", { body: { ...good(1), timestamp: "yesterday" } }, "timestamp"],
      ["future timestamp", { body: { ...good(1), timestamp: "2999-01-01T00:00:00Z" } }, "timestamp"],
      ["metadata not an object", { body: { ...good(1), metadata: [1, 2] } }, "metadata"],
      ["metadata too big", { body: { ...good(1), metadata: { blob: "x".repeat(5000) } } }, "metadata"],
      ["NUL in metadata", { body: { events: [good(1), { ...good(2), metadata: { s: "a\u0000b" } }] } }, "events[1].metadata.s"],
      ["NUL in key", { body: ev("a\u0000b") }, "idempotency_key"],
      ["array body", { body: [good(1)] }, "body"],
      ["null body", { rawBody: "null" }, "body"],
      ["invalid JSON", { rawBody: "{ nope" }, "body"],
    ];
    for (const [name, opts, field] of cases) {
      const r = await call(POST, { ...opts, key: key.secret });
      expect(r.status, name).toBe(400);
      expect(r.json.error.code, name).toBe("VALIDATION_FAILED");
      expect(r.json.error.field, name).toBe(field);
      expect(r.json.error.message, name).toContain(field);
    }
    expect(await snapshot(t.db, team.teamId)).toEqual(before);
  });
  it("an event or a request costing more credits than any balance holds is a 400 naming the field, not the database's overflow", async () => {
    const before = await snapshot(t.db, team.teamId);
    const one = await call(POST, { key: key.secret, body: ev("over-1", "adv.pricey", 1_000_000_000) }); // 10^21 credits
    expect(one.status).toBe(400);
    expect(one.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "quantity" });
    const inBatch = await call(POST, { key: key.secret, body: { events: [ev("over-2", "add"), ev("over-3", "adv.pricey", 1_000_000_000)] } });
    expect(inBatch.status).toBe(400);
    expect(inBatch.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "events[1].quantity" });
    // Each event fits (10^16 credits), the thousand together (10^19) do not.
    const events = Array.from({ length: 1000 }, (_, i) => ev(`over-sum-${i}`, "adv.dear", 1_000_000_000));
    const sum = await call(POST, { key: key.secret, body: { events } });
    expect(sum.status).toBe(400);
    expect(sum.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "events" });
    expect(await snapshot(t.db, team.teamId)).toEqual(before);
    // One such event alone is just more than the team has.
    const alone = await call(POST, { key: key.secret, body: ev("over-4", "adv.dear", 1_000_000_000) });
    expect(alone.status).toBe(402);
    expect(alone.json.error.code).toBe("INSUFFICIENT_CREDITS");
  });
});

describe("POST /api/v1/usage: answers per event", () => {
  it("debits at the price table, reports duplicates, rolls usage up and keeps the ledger whole", async () => {
    const r = await call(POST, {
      key: key.secret,
      body: {
        events: [
          ev("e1", "matmul", 3),
          ev("e2", "infer_70b", 2),
          ev("e1", "matmul", 3),
          { ...ev("e3", "bootstrap", 1), timestamp: "2026-01-05T10:00:00Z", metadata: { model: "m1" } },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ debited: 3, duplicates: 1, rejected: 0, credits_debited: 60 + 2000 + 50 });
    expect(r.json.results.map((x: { status: string; credits: number }) => [x.status, x.credits])).toEqual([
      ["debited", 60],
      ["debited", 2000],
      ["duplicate", 60],
      ["debited", 50],
    ]);
    expect(r.json.results[2].entry_id).toBe(r.json.results[0].entry_id);
    const again = await call(POST, { key: key.secret, body: ev("e2", "infer_70b", 2) });
    expect(again.status).toBe(200);
    expect(again.json.results[0]).toMatchObject({ status: "duplicate", entry_id: r.json.results[1].entry_id, credits: 2000 });
    const entry = await t.db.ledgerEntry.findUniqueOrThrow({ where: { id: r.json.results[3].entry_id } });
    expect(entry).toMatchObject({
      kind: "USAGE",
      operation: "bootstrap",
      quantity: 1n,
      apiKeyId: key.id,
      idempotencyKey: "usage:e3",
      metadata: { model: "m1" },
    });
    expect(entry.occurredAt.toISOString()).toBe("2026-01-05T10:00:00.000Z");
    const jan = await t.db.usageRollup.findFirstOrThrow({ where: { teamId: team.teamId, operation: "bootstrap" } });
    expect(jan).toMatchObject({ quantity: 1n, credits: 50n, events: 1n });
    expect(jan.day.toISOString().slice(0, 10)).toBe("2026-01-05");
    expect((await verifyBalance({ db: t.db, teamId: team.teamId })).problems).toEqual([]);
  });

  it("answers 402 INSUFFICIENT_CREDITS and BUDGET_HARD_CAP_HIT, per event in a batch", async () => {
    const poor = await makeTeam(t.db, { credits: 150n });
    const k = await makeKey(t.db, poor.teamId, poor.userId);
    const single = await call(POST, { key: k.secret, body: ev("big", "infer_7b", 2) });
    expect(single.status).toBe(402);
    expect(single.json.error.code).toBe("INSUFFICIENT_CREDITS");
    expect(single.json.results[0]).toMatchObject({ status: "rejected", error: { code: "INSUFFICIENT_CREDITS" } });
    const mixed = await call(POST, { key: k.secret, body: { events: [ev("a", "infer_7b", 1), ev("b", "infer_7b", 1), ev("c", "bootstrap", 1)] } });
    expect(mixed.status).toBe(200);
    expect(mixed.json.results.map((x: { status: string }) => x.status)).toEqual(["debited", "rejected", "debited"]);
    const capped = await makeTeam(t.db, { credits: 100_000n });
    const ck = await makeKey(t.db, capped.teamId, capped.userId);
    await setBudget({ db: t.db, teamId: capped.teamId, monthlyCapCents: 1n, hardCap: true }); // 800 credits
    const ok = await call(POST, { key: ck.secret, body: ev("x", "infer_7b", 8) });
    expect(ok.status).toBe(200);
    const hit = await call(POST, { key: ck.secret, body: { events: [ev("y", "add", 1), ev("z", "add", 1)] } });
    expect(hit.status).toBe(402);
    expect(hit.json.error.code).toBe("BUDGET_HARD_CAP_HIT");
    expect(hit.json.rejected).toBe(2);
  });

  it('stores metadata as sent, a key named "__proto__" or "constructor" too, alone and in a batch, and no prototype changes', async () => {
    const meta = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "run": "r1"}';
    const stored = async (entryId: string) =>
      (await t.db.$queryRaw<{ m: string }[]>`SELECT metadata::text AS m FROM ledger_entries WHERE id = ${entryId}`)[0]!.m;
    const one = await call(POST, { key: key.secret, rawBody: `{"idempotency_key": "proto-1", "operation": "add", "quantity": 1, "metadata": ${meta}}` });
    expect(one.status).toBe(200);
    const batch = await call(POST, {
      key: key.secret,
      rawBody: `{"events": [{"idempotency_key": "proto-2", "operation": "add", "quantity": 1}, {"idempotency_key": "proto-3", "operation": "add", "quantity": 1, "metadata": ${meta}}]}`,
    });
    expect(batch.status).toBe(200);
    for (const id of [one.json.results[0].entry_id, batch.json.results[1].entry_id]) {
      const m = JSON.parse(await stored(id)) as Record<string, unknown>;
      expect(Object.keys(m).sort()).toEqual(["__proto__", "constructor", "run"]);
      expect(Object.getOwnPropertyDescriptor(m, "__proto__")?.value).toEqual({ polluted: true });
    }
    expect(await stored(batch.json.results[0].entry_id)).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("takes metadata whose text spells \\u0000 (six characters, no NUL) and stores it as sent", async () => {
    const r = await call(POST, {
      key: key.secret,
      rawBody: String.raw`{"idempotency_key": "lit-nul", "operation": "add", "quantity": 1, "metadata": {"escaped": "C:\\u0000"}}`,
    });
    expect(r.status).toBe(200);
    const entry = await t.db.ledgerEntry.findUniqueOrThrow({ where: { id: r.json.results[0].entry_id } });
    expect(entry.metadata).toEqual({ escaped: "C:\\u0000" });
    // What jsonb cannot hold is still refused, by the core too (a caller without the edge's checks).
    for (const metadata of [{ nul: "a\u0000b" }, { deep: [{ lone: "\ud800" }] }]) {
      const events = [{ idempotencyKey: "core-nul", operation: "add", quantity: 1, metadata }];
      await expect(recordUsage({ db: t.db, teamId: team.teamId, events, fieldPrefix: "" })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        details: { field: "metadata" },
      });
    }
  });

  it("takes 1,000 events in one request", async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ev(`bulk-${i}`, i % 2 ? "add" : "multiply", 1 + (i % 3)));
    const r = await call(POST, { key: key.secret, body: { events } });
    expect(r.status).toBe(200);
    expect(r.json.debited).toBe(1000);
    expect((await verifyBalance({ db: t.db, teamId: team.teamId })).problems).toEqual([]);
  });
});
