import fc from "fast-check";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getBalance } from "../../app/api/v3/account/balance/route";
import { GET as getBillings } from "../../app/api/v3/account/billings/route";
import { POST as postUsage } from "../../app/api/v1/usage/route";
import { revokeApiKey } from "../../lib/billing/api-keys/revoke-api-key";
import { HISTORY_TYPE_OF_KIND, HISTORY_TYPES } from "../../lib/billing/history/history-types";
import { listBillings } from "../../lib/billing/history/list-billings";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { creditsToUsd } from "../../lib/billing/money";
import { LedgerKind } from "../../lib/db/generated/enums";
import { proxy } from "../../proxy";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "../billing/factories";
import { call, makeKey, snapshot } from "./helpers";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url; // the route handlers' db() reads it on first use
});
afterAll(() => t.close());

/** A $100 Top Up paid by card, as fulfilment writes it: a succeeded payment and its TOPUP entry (8,000,000 credits). */
async function paidTopUp(teamId: string, key: string, cents = 10_000n, method = "card") {
  const payment = await t.db.payment.create({
    data: { teamId, method, amountCents: cents, credits: cents * 800n, status: "SUCCEEDED", idempotencyKey: key, succeededAt: new Date() },
  });
  await creditCredits({ db: t.db, teamId, amount: cents * 800n, kind: "TOPUP", idempotencyKey: `topup:${payment.id}`, paymentId: payment.id, expiresAt: null });
  return payment;
}

/** ledger_history_days as it should be: each type's and UTC day's first positions among entries not late. */
async function expectDaysKept(teamId: string) {
  const q = (sql: string) => t.db.$queryRawUnsafe<unknown[]>(sql, teamId);
  const kept = await q(`SELECT history_type, day::text, first_team_seq, first_type_seq FROM ledger_history_days WHERE team_id = $1 ORDER BY 1, 2`);
  const fresh = await q(
    `SELECT history_type, (created_at AT TIME ZONE 'UTC')::date::text AS day, min(team_seq) AS first_team_seq, min(type_seq) AS first_type_seq
       FROM ledger_entries WHERE team_id = $1 AND NOT late GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  expect(kept).toEqual(fresh);
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe("GET /api/v3/account/billings and /balance: the seed's shapes", () => {
  it("answers the seed's example: a top-up and a usage, field by field, in the envelope", async () => {
    const team = await makeTeam(t.db);
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const billing = await makeKey(t.db, team.teamId, team.userId, "BILLING");
    await paidTopUp(team.teamId, "p1");
    // $15.50 of usage: 1,240,000 credits at 80,000 per dollar (infer_70b is 1,000 credits a unit).
    const used = await call(postUsage, { key: billing.secret, body: { idempotency_key: "u1", operation: "infer_70b", quantity: 1240 } });
    expect(used.status).toBe(200);

    const r = await call(getBillings, { key: key.secret });
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(r.json)).toEqual(["code", "message", "data"]);
    expect(r.json.code).toBe(200);
    expect(r.json.message).toBe("success");
    expect(r.json.data.pagination).toEqual({ page: 1, page_size: 20, total: 2 });
    const [usage, topup] = r.json.data.items;
    // The seed's fields, plus `test` (issue 13: usage through a test key).
    expect(Object.keys(topup).sort()).toEqual(["amount", "created_at", "currency", "id", "payment_method", "status", "test", "type"]);
    expect(topup).toEqual({
      id: expect.stringMatching(/^le_/),
      type: "topup",
      amount: 100,
      currency: "USD",
      status: "completed",
      payment_method: "card",
      created_at: expect.stringMatching(ISO_MS),
      test: false,
    });
    expect(Object.keys(usage).sort()).toEqual(["amount", "created_at", "currency", "id", "model", "status", "test", "type"]);
    expect(usage).toEqual({
      id: expect.stringMatching(/^le_/),
      type: "usage",
      amount: -15.5,
      currency: "USD",
      status: "completed",
      model: "infer_70b",
      created_at: expect.stringMatching(ISO_MS),
      test: false,
    });
    expect(Date.parse(usage.created_at)).toBeGreaterThanOrEqual(Date.parse(topup.created_at));

    const b = await call(getBalance, { key: key.secret });
    expect(b.status).toBe(200);
    expect(b.json).toEqual({ code: 200, message: "success", data: { balance: 84.5, currency: "USD" } });

    // The Python example of the seed: items' type and amount, and the filter by type.
    const topups = await call(getBillings, { key: key.secret, query: "?type=topup&page=1" });
    expect(topups.json.data.items.map((i: { type: string }) => i.type)).toEqual(["topup"]);
    expect(topups.json.data.pagination).toEqual({ page: 1, page_size: 20, total: 1 });
  });

  it("names every other kind of entry with its own type, and converts amounts exactly", async () => {
    const team = await makeTeam(t.db);
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    await creditCredits({ db: t.db, teamId: team.teamId, amount: 100_000n, kind: "TRIAL_GRANT", idempotencyKey: "trial" });
    await creditCredits({ db: t.db, teamId: team.teamId, amount: 1n, kind: "ADJUSTMENT", idempotencyKey: "adj" });
    await applyDebits({ db: t.db, teamId: team.teamId, debits: [{ idempotencyKey: "d", amount: 7n, operation: "add", quantity: 7n }] });
    const r = await call(getBillings, { key: key.secret });
    expect(r.json.data.items).toEqual([
      expect.objectContaining({ type: "usage", amount: -0.0000875, model: "add" }),
      { id: expect.any(String), type: "adjustment", amount: 0.0000125, currency: "USD", status: "completed", created_at: expect.any(String), test: false },
      { id: expect.any(String), type: "grant", amount: 1.25, currency: "USD", status: "completed", created_at: expect.any(String), test: false },
    ]);
    // Exact decimals, not float arithmetic: 0.1 + 0.2 dollars of credits is 0.3.
    expect(creditsToUsd(24_000n)).toBe(0.3);
    expect(creditsToUsd(-1_240_000n)).toBe(-15.5);
    expect(creditsToUsd(1n, 3n)).toBe(0.333333333333);
    expect(creditsToUsd(2n, 3n)).toBe(0.666666666667);
    expect(creditsToUsd(123_456_789_012_345n)).toBe(1_543_209_862.6543125);
  });

  it("the SQL and the code agree on the type of every ledger kind", async () => {
    for (const kind of Object.values(LedgerKind)) {
      const [row] = await t.db.$queryRawUnsafe<{ type: string }[]>(`SELECT cd_history_type($1::"LedgerKind") AS type`, kind);
      expect(row?.type, kind).toBe(HISTORY_TYPE_OF_KIND[kind]);
      expect(HISTORY_TYPES).toContain(row?.type);
    }
  });
});

describe("GET /api/v3/account/billings: pages and filters", () => {
  it("pages newest first with page and page_size, and filters by type and by inclusive UTC dates", async () => {
    const team = await makeTeam(t.db);
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    await creditCredits({ db: t.db, teamId: team.teamId, amount: 10_000_000n, kind: "TOPUP", idempotencyKey: "t0" });
    // Five usage entries on 2024-01-14 .. 2024-01-18 at 23:59:59.999 (the writer's own clock: all of them late).
    for (let d = 14; d <= 18; d++) {
      await applyDebits({
        db: t.db,
        teamId: team.teamId,
        debits: [{ idempotencyKey: `d${d}`, amount: 80_000n * BigInt(d), operation: "add" }],
        now: new Date(`2024-01-${d}T23:59:59.999Z`),
      });
    }
    const all = await call(getBillings, { key: key.secret, query: "?page_size=2" });
    expect(all.json.data.pagination).toEqual({ page: 1, page_size: 2, total: 6 });
    expect(all.json.data.items.map((i: { amount: number }) => i.amount)).toEqual([-18, -17]);
    const p3 = await call(getBillings, { key: key.secret, query: "?page_size=2&page=3" });
    expect(p3.json.data.items.map((i: { amount: number }) => i.amount)).toEqual([-14, 125]);
    const past = await call(getBillings, { key: key.secret, query: "?page_size=2&page=4" });
    expect(past.json.data).toEqual({ items: [], pagination: { page: 4, page_size: 2, total: 6 } });

    const days = await call(getBillings, { key: key.secret, query: "?start_date=2024-01-15&end_date=2024-01-17&type=usage" });
    expect(days.json.data.items.map((i: { amount: number; created_at: string }) => [i.amount, i.created_at])).toEqual([
      [-17, "2024-01-17T23:59:59.999Z"],
      [-16, "2024-01-16T23:59:59.999Z"],
      [-15, "2024-01-15T23:59:59.999Z"],
    ]);
    expect(days.json.data.pagination.total).toBe(3);
    const oneDay = await call(getBillings, { key: key.secret, query: "?start_date=2024-01-18&end_date=2024-01-18" });
    expect(oneDay.json.data.items.map((i: { amount: number }) => i.amount)).toEqual([-18]);
    const topups = await call(getBillings, { key: key.secret, query: "?type=topup&start_date=2024-01-01" });
    expect(topups.json.data.items.map((i: { amount: number }) => i.amount)).toEqual([125]);
    const none = await call(getBillings, { key: key.secret, query: "?type=refund" });
    expect(none.json.data).toEqual({ items: [], pagination: { page: 1, page_size: 20, total: 0 } });
  });

  it("takes the calendar's ends as dates: end_date=9999-12-31 (no end) and start_date=0100-01-01 (no start) are answered, not a 500", async () => {
    const team = await makeTeam(t.db, { credits: 1_000n });
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const cases: [string, number][] = [
      ["?end_date=9999-12-31", 1],
      ["?start_date=2020-01-01&end_date=9999-12-31", 1],
      ["?type=topup&end_date=9999-12-31", 1],
      ["?start_date=0100-01-01", 1],
      ["?start_date=9999-12-31&end_date=9999-12-31", 0],
    ];
    for (const [query, total] of cases) {
      const r = await call(getBillings, { key: key.secret, query });
      expect(r.status, query).toBe(200);
      expect(r.json.data.pagination.total, query).toBe(total);
    }
  });
});

describe("GET /api/v3/account/billings: refusals", () => {
  it("refuses bad queries with 400 in the envelope, naming the field", async () => {
    const team = await makeTeam(t.db, { credits: 1_000n });
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const cases: [string, string][] = [
      ["?page=0", "page"],
      ["?page=-1", "page"],
      ["?page=1.5", "page"],
      ["?page=abc", "page"],
      ["?page=", "page"],
      ["?page=1000000001", "page"],
      ["?page=99999999999999999999", "page"],
      ["?page_size=0", "page_size"],
      ["?page_size=101", "page_size"],
      ["?page_size=1000000", "page_size"],
      ["?page_size=-20", "page_size"],
      ["?type=invoice", "type"],
      ["?type=TOPUP", "type"],
      ["?start_date=2024-02-30", "start_date"],
      ["?start_date=2024/01/01", "start_date"],
      ["?start_date=2024-01-01T00:00:00Z", "start_date"],
      ["?end_date=yesterday", "end_date"],
      ["?start_date=2024-01-31&end_date=2024-01-01", "end_date"],
    ];
    for (const [query, field] of cases) {
      const r = await call(getBillings, { key: key.secret, query });
      expect(r.status, query).toBe(400);
      expect(r.json, query).toEqual({
        code: 400,
        message: expect.stringMatching(new RegExp(`^${field}: `)),
        data: null,
        error: { code: "VALIDATION_FAILED", message: r.json.message, field },
      });
    }
  });

  it("refuses query text that is not storable in the envelope too, in the route and in the proxy before it", async () => {
    const team = await makeTeam(t.db);
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const r = await call(getBillings, { key: key.secret, query: "?type=%00" });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 400, data: null, error: { code: "VALIDATION_FAILED", field: "type" } });
    const viaProxy = proxy(new NextRequest("http://app.test/api/v3/account/billings?start_date=%ED%A0%80"));
    expect(viaProxy.status).toBe(400);
    expect(await viaProxy.json()).toMatchObject({ code: 400, data: null, error: { code: "VALIDATION_FAILED", field: "start_date" } });
    const v1 = proxy(new NextRequest("http://app.test/api/v1/billing/invoices?cursor=%00"));
    expect(await v1.json()).toEqual({ error: expect.objectContaining({ code: "VALIDATION_FAILED" }) });
  });

  it("refuses a missing, unknown or revoked key with 401 and another team's slug with 403, in the envelope; never shows another team's entries", async () => {
    const mine = await makeTeam(t.db, { credits: 1_000n });
    const theirs = await makeTeam(t.db, { credits: 2_000n });
    await paidTopUp(theirs.teamId, "theirs");
    const key = await makeKey(t.db, mine.teamId, mine.userId, "READ_ONLY");
    const revoked = await makeKey(t.db, mine.teamId, mine.userId, "READ_ONLY");
    await revokeApiKey({ db: t.db, teamId: mine.teamId, apiKeyId: revoked.id, actorUserId: mine.userId });
    const before = await snapshot(t.db, mine.teamId);
    for (const handler of [getBillings, getBalance]) {
      const none = await call(handler, {});
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/Bearer/);
      expect(none.json).toMatchObject({ code: 401, data: null, error: { code: "UNAUTHENTICATED" } });
      const unknown = await call(handler, { key: "cdk_live_0000000000000000000000000000" });
      expect(unknown.status).toBe(401);
      const gone = await call(handler, { key: revoked.secret });
      expect(gone.status).toBe(401);
      expect(gone.json).toMatchObject({ code: 401, message: expect.stringMatching(/revoked/), data: null });
      const other = await call(handler, { key: key.secret, query: `?team=${theirs.slug}` });
      expect(other.status).toBe(403);
      expect(other.json).toMatchObject({ code: 403, data: null, error: { code: "FORBIDDEN" } });
    }
    const own = await call(getBillings, { key: key.secret });
    const theirIds = (await t.db.ledgerEntry.findMany({ where: { teamId: theirs.teamId }, select: { id: true } })).map((e) => e.id);
    expect(own.json.data.items.map((i: { id: string }) => i.id).filter((id: string) => theirIds.includes(id))).toEqual([]);
    expect(own.json.data.pagination.total).toBe(1);
    expect((await call(getBalance, { key: key.secret })).json.data.balance).toBe(0.0125);
    expect(await snapshot(t.db, mine.teamId)).toEqual(before);
  });
});

describe("history positions", () => {
  it("two writers at once never take the same position: dense per team and per type under concurrent credits, debits and inserts", async () => {
    const team = await makeTeam(t.db, { credits: 100_000_000n });
    const other = await makeTeam(t.db, { credits: 1_000n });
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      jobs.push(
        applyDebits({
          db: t.db,
          teamId: team.teamId,
          debits: [
            { idempotencyKey: `a${i}`, amount: 3n },
            { idempotencyKey: `b${i}`, amount: 4n },
          ],
        }),
      );
      jobs.push(creditCredits({ db: t.db, teamId: team.teamId, amount: 5n, kind: i % 2 ? "PROMO_BONUS" : "TOPUP", idempotencyKey: `c${i}` }));
      jobs.push(t.db.ledgerEntry.create({ data: { teamId: team.teamId, kind: "ADJUSTMENT", amount: 0n, balanceAfter: 0n, idempotencyKey: `r${i}` } }));
      jobs.push(creditCredits({ db: t.db, teamId: other.teamId, amount: 1n, kind: "TOPUP", idempotencyKey: `o${i}` }));
    }
    await Promise.all(jobs);
    for (const teamId of [team.teamId, other.teamId]) {
      const rows = await t.db.ledgerEntry.findMany({
        where: { teamId },
        orderBy: { teamSeq: "asc" },
        select: { teamSeq: true, typeSeq: true, historyType: true },
      });
      expect(rows.map((r) => r.teamSeq)).toEqual(rows.map((_r, i) => BigInt(i + 1)));
      for (const type of HISTORY_TYPES) {
        const ofType = rows.filter((r) => r.historyType === type);
        expect(
          ofType.map((r) => r.typeSeq),
          type,
        ).toEqual(ofType.map((_r, i) => BigInt(i + 1)));
      }
    }
    expect(await t.db.ledgerEntry.count({ where: { teamId: team.teamId } })).toBe(1 + 80 + 40 + 40);
    await expectDaysKept(team.teamId);
    await expectDaysKept(other.teamId);
  });

  it("refuses a position taken twice (the unique index), whatever a writer asks for", async () => {
    const team = await makeTeam(t.db, { credits: 1_000n });
    await expect(
      t.db.ledgerEntry.create({
        data: {
          teamId: team.teamId,
          kind: "ADJUSTMENT",
          amount: 0n,
          balanceAfter: 0n,
          idempotencyKey: "dup",
          historyType: "adjustment",
          teamSeq: 1n,
          typeSeq: 1n,
        },
      }),
    ).rejects.toThrow();
    await expect(
      t.db.ledgerEntry.create({
        data: { teamId: team.teamId, kind: "ADJUSTMENT", amount: 0n, balanceAfter: 0n, idempotencyKey: "bad", historyType: "usage", teamSeq: 9n, typeSeq: 9n },
      }),
    ).rejects.toThrow();
  });

  it("property: every page, total and filter equals the naive OFFSET query, on random histories with out-of-order clocks", async () => {
    const base = Date.UTC(2025, 0, 10);
    const HOUR = 3_600_000;
    const op = fc.oneof(
      fc.record({ w: fc.constant("debits" as const), n: fc.integer({ min: 1, max: 4 }), hour: fc.integer({ min: 0, max: 120 }) }),
      fc.record({ w: fc.constant("credit" as const), kind: fc.constantFrom("TOPUP" as const, "PLAN_GRANT" as const, "COUPON" as const) }),
      fc.record({ w: fc.constant("insert" as const), kind: fc.constantFrom(...Object.values(LedgerKind)), hour: fc.integer({ min: 0, max: 120 }) }),
    );
    const query = fc.record({
      page: fc.integer({ min: 1, max: 8 }),
      pageSize: fc.integer({ min: 1, max: 6 }),
      type: fc.option(fc.constantFrom(...HISTORY_TYPES), { nil: undefined }),
      fromDay: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      toDay: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 0, maxLength: 40 }), fc.array(query, { minLength: 1, maxLength: 8 }), async (ops, queries) => {
        const team = await makeTeam(t.db, { credits: 1_000_000n });
        run++;
        let k = 0;
        for (const o of ops) {
          k++;
          if (o.w === "debits") {
            const debits = Array.from({ length: o.n }, (_x, i) => ({ idempotencyKey: `d${k}.${i}`, amount: 1n, operation: "add" }));
            await applyDebits({ db: t.db, teamId: team.teamId, debits, now: new Date(base + o.hour * HOUR) });
          } else if (o.w === "credit") {
            await creditCredits({ db: t.db, teamId: team.teamId, amount: 10n, kind: o.kind, idempotencyKey: `c${k}` });
          } else {
            await t.db.ledgerEntry.create({
              data: { teamId: team.teamId, kind: o.kind, amount: 1n, balanceAfter: 0n, idempotencyKey: `i${k}`, createdAt: new Date(base + o.hour * HOUR) },
            });
          }
        }
        await expectDaysKept(team.teamId);
        for (const q of queries) {
          const from = q.fromDay === undefined ? null : new Date(base + q.fromDay * 24 * HOUR);
          const to = q.toDay === undefined ? null : new Date(base + (q.toDay + 1) * 24 * HOUR);
          const got = await listBillings({ db: t.db, teamId: team.teamId, page: q.page, pageSize: q.pageSize, filter: { type: q.type, from, to } });
          const where = `team_id = $1 AND ($2::text IS NULL OR history_type = $2) AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at < $4)`;
          const naive = await t.db.$queryRawUnsafe<{ id: string }[]>(
            `SELECT id FROM ledger_entries WHERE ${where} ORDER BY seq DESC OFFSET $5 LIMIT $6`,
            team.teamId,
            q.type ?? null,
            from,
            to,
            (q.page - 1) * q.pageSize,
            q.pageSize,
          );
          const [count] = await t.db.$queryRawUnsafe<{ n: bigint }[]>(
            `SELECT count(*) AS n FROM ledger_entries WHERE ${where}`,
            team.teamId,
            q.type ?? null,
            from,
            to,
          );
          const label = JSON.stringify({ run, q });
          expect(
            got.items.map((i) => i.id),
            label,
          ).toEqual(naive.map((r) => r.id));
          expect(got.total, label).toBe(Number(count?.n));
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
