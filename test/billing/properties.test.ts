import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { getBudget } from "../../lib/billing/budgets/get-budget";
import { setBudget } from "../../lib/billing/budgets/set-budget";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";
import { applyDebits, type DebitOutcome } from "../../lib/billing/ledger/apply-debits";
import { clawbackCredits } from "../../lib/billing/ledger/clawback-credits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { expireGrants } from "../../lib/billing/ledger/expire-grants";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { budgetMonth } from "../../lib/billing/budgets/budget-month";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { setApiKeyLimit } from "../../lib/billing/api-keys/set-api-key-limit";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance, userActor } from "./factories";

let t: TestDatabase;
let other: Db;
beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  other = createDb(t.url, { max: 10 });
});
afterAll(async () => {
  await other.$disconnect();
  await t.close();
});

const CREDITS_PER_CENT = 800n;
const HOUR = 3_600_000;

// ---------- a model of the ledger, checked step by step against the database ----------

type Cmd =
  | { t: "credit"; amount: bigint; kind: "TOPUP" | "COUPON" | "PLAN_GRANT" | "TRIAL_GRANT"; expiresInH: number | null; prio: number }
  | { t: "debit"; key: number; via: Via }
  | { t: "concurrent"; keys: number[] }
  | { t: "advance"; hours: number }
  | { t: "expire" }
  | { t: "clawback"; amount: bigint; ofCredit: number | null }
  | { t: "cap"; cents: bigint; hard: boolean; softBlocks: boolean }
  | { t: "limit"; cents: bigint }
  | { t: "keyLimit"; credits: bigint | null };

/** Which API key a debit comes through: none, a live key (that may have a daily spending limit), or a test key. */
type Via = "none" | "live" | "test";

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("credit" as const),
      amount: fc.bigInt(1n, 1500n),
      kind: fc.constantFrom("TOPUP" as const, "COUPON" as const, "PLAN_GRANT" as const, "TRIAL_GRANT" as const),
      expiresInH: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }),
      prio: fc.integer({ min: 0, max: 50 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ t: fc.constant("debit" as const), key: fc.nat(11), via: fc.constantFrom("none" as const, "live" as const, "test" as const) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("concurrent" as const), keys: fc.array(fc.nat(11), { minLength: 2, maxLength: 12 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("expire" as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("clawback" as const), amount: fc.bigInt(1n, 800n), ofCredit: fc.option(fc.nat(20), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cap" as const), cents: fc.bigInt(1n, 4n), hard: fc.boolean(), softBlocks: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("limit" as const), cents: fc.bigInt(0n, 3n) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("keyLimit" as const), credits: fc.option(fc.bigInt(1n, 900n), { nil: null }) }) },
);

type MGrant = { id: string; remaining: bigint; expiresAt: number | null; prio: number; paymentId: string; expired: boolean };

class Model {
  balance = 0n;
  floor = 0n;
  grants: MGrant[] = [];
  entries = new Map<string, string>(); // key -> entry id of the accepted debit
  spend = new Map<string, bigint>();
  cap: { credits: bigint; blocking: boolean } | null = null;
  keyLimit: bigint | null = null;
  keySpend = new Map<string, bigint>(); // the live key's spend by UTC day
  testEntries = 0;
  constructor(public clock: number) {}

  drainOrder(first?: string) {
    return this.grants
      .filter((g) => g.remaining > 0n)
      .sort((a, b) => {
        if (first) {
          const fa = a.paymentId === first ? 0 : 1;
          const fb = b.paymentId === first ? 0 : 1;
          if (fa !== fb) return fa - fb;
        }
        const ea = a.expiresAt ?? Number.POSITIVE_INFINITY;
        const eb = b.expiresAt ?? Number.POSITIVE_INFINITY;
        return ea !== eb ? ea - eb : a.prio - b.prio;
      });
  }
  drain(total: bigint, first?: string) {
    let left = total;
    for (const g of this.drainOrder(first)) {
      if (left === 0n) break;
      const take = g.remaining < left ? g.remaining : left;
      g.remaining -= take;
      left -= take;
    }
  }
  expireDue() {
    for (const g of this.grants) {
      if (!g.expired && g.expiresAt !== null && g.expiresAt <= this.clock) {
        this.balance -= g.remaining;
        g.remaining = 0n;
        g.expired = true;
      }
    }
  }
  month() {
    return budgetMonth(new Date(this.clock));
  }
  day() {
    return new Date(this.clock).toISOString().slice(0, 10);
  }
  allows(a: bigint, via: Via = "none") {
    if (via === "test" && this.balance - a < 0n) return "INSUFFICIENT_CREDITS"; // a test key never draws below zero
    if (this.balance - a < this.floor) return "INSUFFICIENT_CREDITS";
    if (this.cap?.blocking && (this.spend.get(this.month()) ?? 0n) + a > this.cap.credits) return "BUDGET_HARD_CAP_HIT";
    if (via === "live" && this.keyLimit !== null && (this.keySpend.get(this.day()) ?? 0n) + a > this.keyLimit) return "API_KEY_LIMIT_REACHED";
    return null;
  }
  accept(a: bigint, via: Via = "none") {
    this.balance -= a;
    this.spend.set(this.month(), (this.spend.get(this.month()) ?? 0n) + a);
    if (via === "live") this.keySpend.set(this.day(), (this.keySpend.get(this.day()) ?? 0n) + a);
    if (via === "test") this.testEntries += 1;
  }
}

async function checkAgainstModel(teamId: string, m: Model) {
  expect(await teamBalance(t.db, teamId)).toBe(m.balance);
  const rows = await t.db.creditGrant.findMany({ where: { teamId }, select: { id: true, remaining: true } });
  const actual = Object.fromEntries(rows.map((r) => [r.id, r.remaining]));
  expect(actual).toEqual(Object.fromEntries(m.grants.map((g) => [g.id, g.remaining])));
}

describe("property: the ledger follows its model under random sequences (with concurrent groups)", () => {
  it("credits, debits (through no key, a live key with a daily limit, a test key), repeats, expiries, clawbacks, cap and limit changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd, { minLength: 1, maxLength: 24 }),
        fc.array(fc.bigInt(1n, 400n), { minLength: 12, maxLength: 12 }),
        async (cmds, keyAmount) => {
          const { teamId, userId } = await makeTeam(t.db);
          const keyOf = async (test: boolean) =>
            (await createApiKey({ db: t.db, teamId, name: test ? "test" : "live", role: "BILLING", createdByUserId: userId, test })).apiKey.id;
          const keys: Record<Via, string | null> = { none: null, live: await keyOf(false), test: await keyOf(true) };
          const m = new Model(Date.now() + HOUR);
          const payments: string[] = [];
          for (const c of cmds) {
            switch (c.t) {
              case "credit": {
                const paymentId = `pay_${payments.length}_${teamId}`;
                const expiresAt = c.expiresInH === null ? null : m.clock + c.expiresInH * HOUR + payments.length;
                const prio = c.prio * 100 + payments.length; // unique, so the drain order has no ties
                const r = await creditCredits({
                  db: t.db,
                  teamId,
                  amount: c.amount,
                  kind: c.kind,
                  idempotencyKey: `credit-${payments.length}`,
                  paymentId,
                  expiresAt: expiresAt === null ? null : new Date(expiresAt),
                  priority: prio,
                });
                payments.push(paymentId);
                const owed = m.balance < 0n ? -m.balance : 0n;
                m.grants.push({ id: r.grant!.id, remaining: c.amount > owed ? c.amount - owed : 0n, expiresAt, prio, paymentId, expired: false });
                m.balance += c.amount;
                break;
              }
              case "debit": {
                const a = keyAmount[c.key]!;
                const key = `k${c.key}`;
                const [o] = await applyDebits({
                  db: t.db,
                  teamId,
                  debits: [{ idempotencyKey: key, amount: a, operation: "add", quantity: a, apiKeyId: keys[c.via] }],
                  now: new Date(m.clock),
                });
                m.expireDue();
                const known = m.entries.get(key);
                if (known) {
                  expect(o).toMatchObject({ status: "duplicate", entryId: known, amount: a });
                  break;
                }
                const why = m.allows(a, c.via);
                if (why) expect(o).toMatchObject({ status: "rejected", code: why });
                else {
                  expect(o).toMatchObject({ status: "debited", amount: a, balanceAfter: m.balance - a });
                  m.accept(a, c.via);
                  m.drain(a);
                  m.entries.set(key, o!.entryId!);
                }
                break;
              }
              case "concurrent": {
                m.expireDue();
                const before = m.balance;
                const outs = await Promise.all(
                  c.keys.map((k, i) =>
                    applyDebits({
                      db: i % 2 ? other : t.db,
                      teamId,
                      debits: [{ idempotencyKey: `k${k}`, amount: keyAmount[k]! }],
                      now: new Date(m.clock),
                    }).then((r) => r[0]!),
                  ),
                );
                const byKey = new Map<number, DebitOutcome[]>();
                c.keys.forEach((k, i) => byKey.set(k, [...(byKey.get(k) ?? []), outs[i]!]));
                let taken = 0n;
                for (const [k, list] of byKey) {
                  const ids = new Set(list.filter((o) => o.status !== "rejected").map((o) => o.entryId));
                  expect(ids.size).toBeLessThanOrEqual(1);
                  const known = m.entries.get(`k${k}`);
                  if (known) expect([...ids]).toEqual([known]);
                  const fresh = list.filter((o) => o.status === "debited");
                  expect(fresh.length).toBeLessThanOrEqual(1);
                  if (fresh.length === 1 && !known) {
                    taken += keyAmount[k]!;
                    m.entries.set(`k${k}`, fresh[0]!.entryId!);
                  }
                }
                m.balance -= taken;
                m.spend.set(m.month(), (m.spend.get(m.month()) ?? 0n) + taken);
                m.drain(taken);
                // Never past the floor (a clawback may have left it below already) or a blocking cap (a cap set below
                // what the month already spent blocks new debits; it cannot undo old ones); and no rejected debit would
                // have fitted at the end.
                expect(m.balance).toBeGreaterThanOrEqual(before < m.floor ? before : m.floor);
                if (m.cap?.blocking && taken > 0n) expect(m.spend.get(m.month()) ?? 0n).toBeLessThanOrEqual(m.cap.credits);
                for (const [k, list] of byKey) {
                  if (list.every((o) => o.status === "rejected")) expect(m.allows(keyAmount[k]!)).not.toBeNull();
                }
                break;
              }
              case "advance":
                m.clock += c.hours * HOUR;
                break;
              case "expire":
                await expireGrants({ db: t.db, teamId, now: new Date(m.clock) });
                m.expireDue();
                break;
              case "clawback": {
                const paymentId = c.ofCredit !== null && payments.length ? payments[c.ofCredit % payments.length]! : null;
                await clawbackCredits({ db: t.db, teamId, amount: c.amount, kind: "REFUND", idempotencyKey: `re-${cmds.indexOf(c)}-${c.amount}`, paymentId });
                m.drain(c.amount, paymentId ?? undefined);
                m.balance -= c.amount;
                break;
              }
              case "cap":
                await setBudget({ db: t.db, teamId, monthlyCapCents: c.cents, hardCap: c.hard, allowSoftOverage: !c.softBlocks, now: new Date(m.clock) });
                m.cap = { credits: c.cents * CREDITS_PER_CENT, blocking: c.hard || c.softBlocks };
                break;
              case "limit":
                await setCreditLimit({ db: t.db, teamId, limitCents: c.cents });
                m.floor = -c.cents * CREDITS_PER_CENT;
                break;
              case "keyLimit": {
                const limit = c.credits === null ? null : { credits: c.credits, period: "DAY" as const };
                const view = await setApiKeyLimit({ db: t.db, actor: userActor(userId, teamId, "OWNER"), apiKeyId: keys.live!, limit, now: new Date(m.clock) });
                m.keyLimit = c.credits;
                expect(view.limit?.spent ?? null).toBe(c.credits === null ? null : (m.keySpend.get(m.day()) ?? 0n));
                break;
              }
            }
            await checkAgainstModel(teamId, m);
          }
          const check = await verifyBalance({ db: t.db, teamId });
          expect(check.problems).toEqual([]);
          expect(await t.db.ledgerEntry.count({ where: { teamId, kind: "USAGE" } })).toBe(m.entries.size);
          expect(await t.db.ledgerEntry.count({ where: { teamId, test: true } })).toBe(m.testEntries);
          if (m.cap) {
            // Alerts standing this month are exactly the thresholds the month's spend has reached under the current cap.
            const view = await getBudget({ db: t.db, teamId, now: new Date(m.clock) });
            const spend = m.spend.get(m.month()) ?? 0n;
            expect(view.spendCredits).toBe(spend);
            expect(view.alertsSent).toEqual([50, 80, 100].filter((p) => spend * 100n >= m.cap!.credits * BigInt(p)));
          }
        },
      ),
      { numRuns: 100 },
    );
    // Hundreds of real transactions: allowed longer than a unit test, so a loaded machine does not fail it.
  }, 180_000);
});

// ---------- random concurrency through the batcher and a second "process" ----------

type Op =
  | { t: "debit"; key: number; via: "batcher" | "direct" }
  | { t: "credit"; amount: bigint; via: "batcher" | "direct" }
  | { t: "cap"; cents: bigint }
  | { t: "limit"; cents: bigint };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ t: fc.constant("debit" as const), key: fc.nat(40), via: fc.constantFrom("batcher" as const, "direct" as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant("credit" as const), amount: fc.bigInt(1n, 500n), via: fc.constantFrom("batcher" as const, "direct" as const) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("cap" as const), cents: fc.bigInt(1n, 3n) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("limit" as const), cents: fc.bigInt(0n, 2n) }) },
);

describe("property: invariants hold under random concurrency", () => {
  it("waves of parallel debits (batched and unbatched), repeats, credits, cap and limit changes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.bigInt(1n, 120n), { minLength: 41, maxLength: 41 }),
        async (waves, keyAmount) => {
          const { teamId } = await makeTeam(t.db, { credits: 1000n });
          await setBudget({ db: t.db, teamId, monthlyCapCents: 3n, hardCap: true });
          let maxCap = 3n * CREDITS_PER_CENT;
          let maxLimit = 0n;
          const seen = new Map<number, Set<string>>();
          let credit = 0;
          for (const wave of waves) {
            await Promise.all(
              wave.map(async (o) => {
                const client = "via" in o && o.via === "direct" ? other : t.db;
                if (o.t === "debit") {
                  const r = await debitCredits({ db: client, teamId, amount: keyAmount[o.key]!, idempotencyKey: `k${o.key}` }).catch(
                    (e: { code: string }) => e.code,
                  );
                  if (typeof r !== "string") seen.set(o.key, (seen.get(o.key) ?? new Set()).add(r.entry.id));
                  else expect(["INSUFFICIENT_CREDITS", "BUDGET_HARD_CAP_HIT"]).toContain(r);
                } else if (o.t === "credit") {
                  await creditCredits({ db: client, teamId, amount: o.amount, kind: "TOPUP", idempotencyKey: `c${credit++}` });
                } else if (o.t === "cap") {
                  maxCap = maxCap > o.cents * CREDITS_PER_CENT ? maxCap : o.cents * CREDITS_PER_CENT;
                  await setBudget({ db: client, teamId, monthlyCapCents: o.cents, hardCap: true });
                } else {
                  maxLimit = maxLimit > o.cents * CREDITS_PER_CENT ? maxLimit : o.cents * CREDITS_PER_CENT;
                  await setCreditLimit({ db: client, teamId, limitCents: o.cents });
                }
              }),
            );
          }
          const check = await verifyBalance({ db: t.db, teamId });
          expect(check.problems).toEqual([]);
          for (const ids of seen.values()) expect(ids.size).toBe(1); // every answer for a key names the same entry
          const usage = await t.db.ledgerEntry.findMany({ where: { teamId, kind: "USAGE" }, select: { amount: true, idempotencyKey: true } });
          expect(usage.length).toBe(seen.size);
          expect(check.minUsageBalanceAfter ?? 0n).toBeGreaterThanOrEqual(-maxLimit);
          const spent = usage.reduce((s, e) => s - e.amount, 0n);
          expect(spent).toBeLessThanOrEqual(maxCap);
          expect((await getBudget({ db: t.db, teamId })).spendCredits).toBe(spent);
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000);
});
