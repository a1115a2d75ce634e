import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { setApiKeyLimit } from "../../lib/billing/api-keys/set-api-key-limit";
import { getBudget } from "../../lib/billing/budgets/get-budget";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { setLineSuspended } from "../../lib/billing/credit-lines/suspend-credit-line";
import { sqlPool } from "../../lib/db/client";
import { applyDebits, type DebitRequest } from "../../lib/billing/ledger/apply-debits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makePlatformAdmin, makeTeam, teamBalance, userActor } from "./factories";

// cd_debit_batch reads a batch of one event on its own path (fields straight from the JSON, key looked up alone) and
// 2+ events through the planned batch query. Two teams set up alike get the same events: team A one call per event
// (always the one-event path), team B one call with all of them (the batch path). Everything they answer and store
// must agree, except the entry ids.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ max: 6 });
});
afterAll(async () => {
  await t.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Via = "none" | "live" | "test";
type Setup = {
  grants: [bigint, bigint]; // the first expires sooner, so it drains first
  creditLimitCents: bigint; // 1 cent = 800 credits below zero
  suspended: boolean;
  teamCapCents: bigint | null; // a hard cap
  keyLimit: bigint | null; // the live key's daily spending limit
  keyCapCents: bigint | null; // a hard monthly cap on the live key
  unpaid: boolean; // the subscription unpaid since before now
  nowAfterSetup: boolean; // false: now is an hour before the setup's credits, so every debit's entry is late
};
type Ev = {
  key: number;
  amount: bigint;
  via: Via;
  operation: string | null;
  quantity: bigint | null;
  occurredAgoH: number | null;
  metadata: "absent" | "null" | { n: number; s: string };
};

type Team = { teamId: string; keys: Record<Via, string | null>; grantIds: string[] };

async function makeSide(s: Setup, now: Date): Promise<Team> {
  const { teamId, userId } = await makeTeam(t.db, { creditLimitCents: s.creditLimitCents });
  const grantIds: string[] = [];
  for (const [i, amount] of s.grants.entries()) {
    // Fixed keys and expiries (relative to `now`): the two teams' credit entries compare equal.
    const r = await creditCredits({
      db: t.db,
      teamId,
      amount,
      kind: "TOPUP",
      idempotencyKey: `grant-${i}`,
      expiresAt: new Date(now.getTime() + (10 + 30 * i) * DAY),
    });
    grantIds.push(r.grant!.id);
  }
  if (s.suspended) {
    const admin = await makePlatformAdmin(t.db, "suspender");
    await setLineSuspended({ db: t.db, teamId, adminUserId: admin, suspended: true, reason: "test", now });
  }
  if (s.unpaid) await t.db.team.update({ where: { id: teamId }, data: { unpaidFrom: new Date(now.getTime() - HOUR) } });
  if (s.teamCapCents !== null) await setBudget({ db: t.db, teamId, monthlyCapCents: s.teamCapCents, hardCap: true, now });
  const keyOf = async (test: boolean) =>
    (await createApiKey({ db: t.db, teamId, name: test ? "test" : "live", role: "BILLING", createdByUserId: userId, test })).apiKey.id;
  const keys: Record<Via, string | null> = { none: null, live: await keyOf(false), test: await keyOf(true) };
  if (s.keyLimit !== null)
    await setApiKeyLimit({ db: t.db, actor: userActor(userId, teamId, "OWNER"), apiKeyId: keys.live!, limit: { credits: s.keyLimit, period: "DAY" }, now });
  if (s.keyCapCents !== null) await setBudget({ db: t.db, teamId, scope: keys.live!, monthlyCapCents: s.keyCapCents, hardCap: true, now });
  return { teamId, keys, grantIds };
}

function request(e: Ev, side: Team, now: Date): DebitRequest {
  return {
    idempotencyKey: `k${e.key}`,
    amount: e.amount,
    operation: e.operation,
    quantity: e.quantity,
    apiKeyId: side.keys[e.via],
    occurredAt: e.occurredAgoH === null ? null : new Date(now.getTime() - e.occurredAgoH * HOUR),
    ...(e.metadata === "absent" ? {} : { metadata: e.metadata === "null" ? null : e.metadata }),
  };
}

/** What a team stored, with its own ids replaced by positions (grants) or roles (API keys), so two teams compare. */
async function stored(side: Team) {
  const keyName = (id: string | null) => (id === null ? null : (Object.entries(side.keys).find(([, v]) => v === id)?.[0] ?? `unknown ${id}`));
  const grants = await t.db.creditGrant.findMany({ where: { teamId: side.teamId }, orderBy: { expiresAt: "asc" }, select: { id: true, remaining: true } });
  expect(grants.map((g) => g.id)).toEqual(side.grantIds);
  const entries = await t.db.ledgerEntry.findMany({ where: { teamId: side.teamId }, orderBy: { teamSeq: "asc" } });
  // Prisma reads SQL NULL and JSON null alike: which one is stored is asked separately.
  const sqlNull = await t.db.$queryRawUnsafe<{ null_metadata: boolean }[]>(
    `SELECT metadata IS NULL AS null_metadata FROM ledger_entries WHERE team_id = $1 ORDER BY team_seq`,
    side.teamId,
  );
  const team = await t.db.team.findUniqueOrThrow({ where: { id: side.teamId }, select: { balance: true } });
  const counters = await t.db.spendCounter.findMany({ where: { teamId: side.teamId }, orderBy: [{ scope: "asc" }, { month: "asc" }] });
  const rollups = await t.db.usageRollup.findMany({ where: { teamId: side.teamId }, orderBy: [{ day: "asc" }, { operation: "asc" }] });
  const live = await t.db.apiKey.findUniqueOrThrow({
    where: { id: side.keys.live! },
    select: { limitSpent: true, limitPeriodStart: true, limitAlertPeriodStart: true },
  });
  return {
    balance: team.balance,
    grantsRemaining: grants.map((g) => g.remaining),
    entries: entries.map((e, i) => ({
      kind: e.kind,
      amount: e.amount,
      balanceAfter: e.balanceAfter,
      idempotencyKey: e.idempotencyKey,
      operation: e.operation,
      quantity: e.quantity,
      apiKey: keyName(e.apiKeyId),
      test: e.test,
      metadata: e.metadata,
      metadataSqlNull: sqlNull[i]!.null_metadata,
      occurredAt: e.kind === "USAGE" ? e.occurredAt : "the setup's clock", // credits take the real clock
      teamSeq: e.teamSeq,
      typeSeq: e.typeSeq,
      late: e.late,
      grant: e.grantId === null ? null : side.grantIds.indexOf(e.grantId),
    })),
    counters: counters.map((c) => ({ scope: c.scope === "team" ? "team" : keyName(c.scope), month: c.month, credits: c.credits })),
    rollups: rollups.map((r) => ({ day: r.day, operation: r.operation, quantity: r.quantity, credits: r.credits, events: r.events })),
    liveKey: live,
    teamBudget: await getBudget({ db: t.db, teamId: side.teamId }).then((b) => ({ spend: b.spendCredits, alerts: b.alertsSent })),
  };
}

type Outcome = { status: string; entryId: string | null; amount: bigint | null; balanceAfter: bigint | null; code: string | null };

/** The outcomes without entry ids, and each duplicate checked to name the entry its key's first debit made. */
function comparable(keys: string[], outs: Outcome[], { strict = false }: { strict?: boolean } = {}) {
  const firstEntry = new Map<string, string>();
  const rejected = new Set<string>();
  expect(outs).toHaveLength(keys.length);
  return outs.map((o, i) => {
    const key = keys[i]!;
    if (o.status === "debited") {
      expect(firstEntry.has(key)).toBe(false);
      firstEntry.set(key, o.entryId!);
    }
    if (o.status === "duplicate") expect(o.entryId).toBe(firstEntry.get(key));
    // By design (see "one batch, one answer per key" below): a repeat of a rejected event is rejected again on both
    // paths, but the batch answers the first's code where a call of its own decides it again on the state of its time.
    const code = !strict && o.status === "rejected" && rejected.has(key) ? "a repeat of a rejected event" : o.code;
    if (o.status === "rejected") rejected.add(key);
    return { status: o.status, code, amount: o.amount, balanceAfter: o.balanceAfter };
  });
}

type Sender<E> = (side: Team, events: E[], now: Date) => Promise<Outcome[]>;

const throughApplyDebits: Sender<Ev> = (side, events, now) =>
  applyDebits({ db: t.db, teamId: side.teamId, debits: events.map((e) => request(e, side, now)), now });

/** Raw events straight to cd_debit_batch (fields applyDebits always sends may be left out); kid "live"/"test" names a key. */
type RawEv = Record<string, unknown>;
const straightToSql: Sender<RawEv> = async (side, events, now) => {
  const json = events.map((e) => (typeof e.kid === "string" && e.kid in side.keys ? { ...e, kid: side.keys[e.kid as Via] } : e));
  const { rows } = await sqlPool(t.db)!.query<{
    r_status: string;
    r_entry_id: string | null;
    r_amount: string | null;
    r_balance_after: string | null;
    r_code: string | null;
  }>(`SELECT * FROM cd_debit_batch($1, $2::jsonb, $3::timestamptz)`, [side.teamId, JSON.stringify(json), now]);
  return rows.map((r) => ({
    status: r.r_status,
    entryId: r.r_entry_id,
    amount: r.r_amount === null ? null : BigInt(r.r_amount),
    balanceAfter: r.r_balance_after === null ? null : BigInt(r.r_balance_after),
    code: r.r_code,
  }));
};

/** Two teams set up alike: A gets `events` one call each (the one-event path), B all of them in one call (the batch path). */
async function run<E>(s: Setup, events: E[], send: Sender<E>) {
  const now = new Date(Date.now() + (s.nowAfterSetup ? HOUR : -HOUR));
  const a = await makeSide(s, now);
  const b = await makeSide(s, now);
  const outsA: Outcome[] = [];
  for (const e of events) outsA.push(...(await send(a, [e], now)));
  const outsB = await send(b, events, now);
  return { a, b, outsA, outsB };
}

/** run, then: the same answers and the same stored state on both teams, and a consistent ledger on each. */
async function bothWays<E>(s: Setup, events: E[], send: Sender<E>, keyOf: (e: E) => string, opts: { strict?: boolean } = {}) {
  const r = await run(s, events, send);
  const keys = events.map(keyOf);
  expect(comparable(keys, r.outsB, opts)).toEqual(comparable(keys, r.outsA, opts));
  expect(await stored(r.b)).toEqual(await stored(r.a));
  for (const side of [r.a, r.b]) expect((await verifyBalance({ db: t.db, teamId: side.teamId })).problems).toEqual([]);
  return r;
}

const setupArb: fc.Arbitrary<Setup> = fc
  .record({
    grants: fc.tuple(fc.bigInt(1n, 700n), fc.bigInt(1n, 700n)),
    creditLimitCents: fc.bigInt(0n, 1n),
    suspended: fc.boolean(),
    teamCapCents: fc.option(fc.bigInt(1n, 2n), { nil: null }),
    keyLimit: fc.option(fc.bigInt(1n, 900n), { nil: null }),
    keyCapCents: fc.option(fc.constant(1n), { nil: null, freq: 3 }),
    unpaid: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    nowAfterSetup: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .map((s) => ({ ...s, suspended: s.suspended && s.creditLimitCents > 0n })); // only a line can be suspended

const evArb: fc.Arbitrary<Ev> = fc.record({
  key: fc.nat(5),
  amount: fc.oneof(fc.constant(0n), fc.bigInt(1n, 200n), fc.bigInt(200n, 1600n)),
  via: fc.constantFrom<Via>("none", "live", "test"),
  operation: fc.option(fc.constantFrom("add", "mul"), { nil: null }),
  quantity: fc.option(fc.bigInt(0n, 50n), { nil: null }),
  occurredAgoH: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  metadata: fc.oneof(fc.constant("absent" as const), fc.constant("null" as const), fc.record({ n: fc.integer(), s: fc.string({ maxLength: 8 }) })),
});

describe("property: one call per event (the one-event path) and one call for all (the batch path) agree", () => {
  it("answers, balance, grants, counters, rollups, ledger rows, key spend and budget alerts", async () => {
    await fc.assert(
      // Six idempotency keys, each with its own request: a repeat is a retry of the same request.
      fc.asyncProperty(
        setupArb,
        fc.array(evArb, { minLength: 6, maxLength: 6 }),
        fc.array(fc.nat(5), { minLength: 2, maxLength: 8 }),
        async (s, pool, picks) => {
          await bothWays(
            s,
            picks.map((k) => ({ ...pool[k]!, key: k })),
            throughApplyDebits,
            (e) => `k${e.key}`,
          );
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

const plain: Setup = {
  grants: [300n, 500n],
  creditLimitCents: 1n,
  suspended: false,
  teamCapCents: null,
  keyLimit: 400n,
  keyCapCents: null,
  unpaid: false,
  nowAfterSetup: true,
};
const rawKey = (e: RawEv) => String(e.k);
const ev = (key: number, amount: bigint, more: Partial<Ev> = {}): Ev => ({
  key,
  amount,
  via: "none",
  operation: null,
  quantity: null,
  occurredAgoH: null,
  metadata: "absent",
  ...more,
});

describe("the one-event path's input edges: a call of its own stores what a batch stores", () => {
  it("metadata JSON null and metadata left out both store SQL NULL; an object is stored as sent", async () => {
    const events: RawEv[] = [
      { k: "m-null", a: "5", m: null },
      { k: "m-absent", a: "6" },
      { k: "m-object", a: "7", m: { nested: { list: [1, "two", null] }, 'quote"d': "\\" } },
      { k: "m-string", a: "8", m: "null" },
    ];
    const { a } = await bothWays(plain, events, straightToSql, rawKey, { strict: true });
    const rows = await t.db.$queryRawUnsafe<{ idempotency_key: string; null_metadata: boolean; metadata: unknown }[]>(
      `SELECT idempotency_key, metadata IS NULL AS null_metadata, metadata FROM ledger_entries WHERE team_id = $1 AND kind = 'USAGE' ORDER BY team_seq`,
      a.teamId,
    );
    expect(rows).toEqual([
      { idempotency_key: "m-null", null_metadata: true, metadata: null },
      { idempotency_key: "m-absent", null_metadata: true, metadata: null },
      { idempotency_key: "m-object", null_metadata: false, metadata: events[2]!.m },
      { idempotency_key: "m-string", null_metadata: false, metadata: "null" },
    ]);
  });

  it("occurredAt given (with and without a zone offset, and as applyDebits sends it) and left out; operation and quantity", async () => {
    const events: RawEv[] = [
      { k: "at-offset", a: "3", at: "2026-12-01T23:30:00+02:00", op: "add", q: "4" },
      { k: "at-z", a: "3", at: "2026-12-01T21:30:00.123Z", op: "add", q: 2 },
      { k: "at-none", a: 3, op: "mul" },
      { k: "at-null", a: "3", at: null, op: null, q: "9" },
    ];
    const { a } = await bothWays(plain, events, straightToSql, rawKey, { strict: true });
    const rows = await t.db.ledgerEntry.findMany({ where: { teamId: a.teamId, kind: "USAGE" }, orderBy: { teamSeq: "asc" } });
    expect(rows.slice(0, 2).map((r) => r.occurredAt.toISOString())).toEqual(["2026-12-01T21:30:00.000Z", "2026-12-01T21:30:00.123Z"]);
    expect(rows[2]!.occurredAt.getTime()).toBe(rows[2]!.createdAt.getTime()); // left out: the call's now
    await bothWays(
      plain,
      [ev(0, 10n, { occurredAgoH: 30, operation: "add", quantity: 5n }), ev(1, 20n, { via: "live", operation: "add" })],
      throughApplyDebits,
      (e) => `k${e.key}`,
      {
        strict: true,
      },
    );
  });

  it("a key of 200 characters with quotes, backslashes and unicode, repeated: debited once, then a duplicate", async () => {
    const key = `"'\\ \u00e9\u6f22\u{1f642}\n\t${'x"\\ü'.repeat(60)}`.slice(0, 200);
    expect([...key].length).toBeGreaterThan(190);
    const events: RawEv[] = [
      { k: key, a: "11", m: { key } },
      { k: key, a: "11", m: { key } },
      { k: `${key} `, a: "12" }, // a trailing space is another key
    ];
    const { a, outsA } = await bothWays(plain, events, straightToSql, rawKey, { strict: true });
    expect(outsA.map((o) => o.status)).toEqual(["debited", "duplicate", "debited"]);
    const stored = await t.db.ledgerEntry.findMany({
      where: { teamId: a.teamId, kind: "USAGE" },
      orderBy: { teamSeq: "asc" },
      select: { idempotencyKey: true },
    });
    expect(stored.map((r) => r.idempotencyKey)).toEqual([key, `${key} `]);
  });

  it("an amount of 0: an entry of 0 credits that moves nothing (also through a test key below zero: refused)", async () => {
    const events: RawEv[] = [
      { k: "z1", a: "0", op: "add", q: "3" },
      { k: "z2", a: 0, kid: "live" },
      { k: "big", a: "1000" }, // below zero on the credit line
      { k: "z3", a: "0", kid: "test" }, // a test key never draws below zero, not even 0 there
    ];
    const { outsA } = await bothWays(plain, events, straightToSql, rawKey);
    expect(outsA.map((o) => [o.status, o.code])).toEqual([
      ["debited", null],
      ["debited", null],
      ["debited", null],
      ["rejected", "INSUFFICIENT_CREDITS"],
    ]);
  });

  it("a non-string key or amount given as a JSON number reads the same on both paths", async () => {
    await bothWays(
      plain,
      [
        { k: 42, a: 5 },
        { k: "42", a: "5" },
      ] as RawEv[],
      straightToSql,
      rawKey,
      { strict: true },
    );
  });

  const bad: [string, DebitRequest][] = [
    ["a negative amount", { idempotencyKey: "neg", amount: -5n }],
    ["a missing key", { idempotencyKey: undefined as unknown as string, amount: 5n }],
    ["a null key", { idempotencyKey: null as unknown as string, amount: 5n }],
  ];
  it.each(bad)("%s raises 22023 and writes nothing, alone and in a two-event batch", async (_, debit) => {
    const now = new Date(Date.now() + HOUR);
    const a = await makeSide(plain, now);
    const b = await makeSide(plain, now);
    const [beforeA, beforeB] = [await stored(a), await stored(b)];
    const good: DebitRequest = { idempotencyKey: "good", amount: 7n, operation: "add", quantity: 1n, apiKeyId: b.keys.live };
    await expect(applyDebits({ db: t.db, teamId: a.teamId, debits: [debit], now })).rejects.toMatchObject({ code: "22023" });
    await expect(applyDebits({ db: t.db, teamId: b.teamId, debits: [good, debit], now })).rejects.toMatchObject({ code: "22023" });
    await expect(applyDebits({ db: t.db, teamId: b.teamId, debits: [debit, good], now })).rejects.toMatchObject({ code: "22023" });
    expect(await stored(a)).toEqual(beforeA);
    expect(await stored(b)).toEqual(beforeB);
    expect(beforeB).toEqual(beforeA);
  });

  it("an amount that is not a whole number raises the same error on both paths and writes nothing", async () => {
    const now = new Date(Date.now() + HOUR);
    const a = await makeSide(plain, now);
    const before = await stored(a);
    for (const events of [
      [{ k: "frac", a: "1.5" }],
      [
        { k: "ok", a: "1" },
        { k: "frac", a: "1.5" },
      ],
    ]) {
      await expect(straightToSql(a, events, now)).rejects.toMatchObject({ code: "22P02" });
    }
    expect(await stored(a)).toEqual(before);
  });
});

// Where one call per event and one call for all differ, by design: events with the same key in one batch are one
// request sent more than once at the same moment (the batcher merges concurrent requests), so they get one answer,
// the first's, even when it was a refusal. Each call of its own is decided on the state of its time. No credit is
// taken twice either way. The property above leaves out exactly this: the code of a repeat of a rejected event (it
// repeats each key's request unchanged, so a repeat never differs in amount: the last test). A 0-credit entry names
// no grant on both paths (it named the grant at its position in a batch before 20261210000000_debit_one_event).
describe("one batch, one answer per key: where one call per event and one batch differ by design", () => {
  it("a 0-credit entry names no grant, alone or in a batch that takes credits", async () => {
    const { a, b } = await bothWays(plain, [ev(0, 1n), ev(1, 0n)], throughApplyDebits, (e) => `k${e.key}`);
    const grantOf = async (side: Team) =>
      (await t.db.ledgerEntry.findFirstOrThrow({ where: { teamId: side.teamId, idempotencyKey: "k1" }, select: { grantId: true } })).grantId;
    expect(await grantOf(a)).toBeNull();
    expect(await grantOf(b)).toBeNull();
  });

  it("a repeat of a rejected event in a batch answers the first's code; a call of its own decides again", async () => {
    // Suspended line: 801 would fit the line (DRAW_SUSPENDED); after 386 is taken it would not (INSUFFICIENT_CREDITS).
    const s: Setup = { ...plain, grants: [1n, 385n], suspended: true, keyLimit: null };
    const { outsA, outsB } = await bothWays(s, [ev(1, 801n), ev(3, 386n), ev(1, 801n)], throughApplyDebits, (e) => `k${e.key}`);
    expect(outsA.map((o) => o.code)).toEqual(["DRAW_SUSPENDED", null, "INSUFFICIENT_CREDITS"]);
    expect(outsB.map((o) => o.code)).toEqual(["DRAW_SUSPENDED", null, "DRAW_SUSPENDED"]);
  });

  it("a retry with a smaller amount after a rejection is debited alone but refused in the batch", async () => {
    const r = await run({ ...plain, creditLimitCents: 0n }, [ev(0, 900n), ev(0, 100n)], throughApplyDebits);
    expect(r.outsA.map((o) => o.status)).toEqual(["rejected", "debited"]);
    expect(r.outsB.map((o) => o.status)).toEqual(["rejected", "rejected"]);
    expect(await teamBalance(t.db, r.a.teamId)).toBe(700n);
    expect(await teamBalance(t.db, r.b.teamId)).toBe(800n);
  });
});
