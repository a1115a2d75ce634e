import fc from "fast-check";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReviewFactsPanel } from "../../components/credit-lines/review-facts-panel";
import { parseBillingConfig, type CreditLineReviewConfig } from "../../lib/billing/config";
import { getReviewFacts, suggestLimit, type ReviewFacts } from "../../lib/billing/credit-lines/review-facts";
import { limitSuggestionSchema, reviewFactsSchema } from "../../lib/billing/credit-lines/review-facts-schema";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { recordMoneyFacts } from "../../lib/billing/payments/record-money-facts";
import type { MoneyFact } from "../../lib/billing/payments/money-facts";
import type { Db } from "../../lib/db/client";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance } from "./factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const CREDITS_PER_CENT = 800n; // the default CREDITS_PER_DOLLAR, 80000
const NOW = new Date("2026-11-20T12:00:00Z");
const at = (iso: string) => new Date(iso);
const config = parseBillingConfig({}).creditLineReview;

type Kind = "TOPUP" | "PURCHASE" | "AUTO_TOPUP";

/** A payment paid at `paidAt` and credited through the ledger, as fulfilment leaves it. */
async function paidPayment(db: Db, teamId: string, kind: Kind, cents: bigint, paidAt: Date) {
  const p = await db.payment.create({
    data: {
      teamId,
      kind,
      status: "SUCCEEDED",
      method: "card",
      amountCents: cents,
      credits: cents * CREDITS_PER_CENT,
      idempotencyKey: `pay-${paidAt.getTime()}-${cents}`,
      succeededAt: paidAt,
      createdAt: paidAt,
    },
  });
  await creditCredits({ db, teamId, amount: cents * CREDITS_PER_CENT, kind, idempotencyKey: `credit-${p.id}`, paymentId: p.id, expiresAt: null });
  return p.id;
}

async function moneyNews(db: Db, paymentId: string, facts: Omit<MoneyFact, "currency" | "chargeId">[]) {
  const r = await recordMoneyFacts({
    db,
    input: { paymentId, chargeId: null, paymentIntentId: null, facts: facts.map((f) => ({ ...f, currency: "usd", chargeId: null }) as MoneyFact) },
  });
  expect(r.outcome).toBe("recorded");
}

async function unpaidPayment(db: Db, teamId: string, status: "FAILED" | "PENDING" | "EXPIRED", createdAt: Date) {
  await db.payment.create({
    data: { teamId, status, method: "card", amountCents: 3000n, credits: 3000n * CREDITS_PER_CENT, idempotencyKey: `u-${createdAt.getTime()}`, createdAt },
  });
}

type StatementInput = { closesAt: string; dueAt?: string; paidAt?: string; cents: bigint; status: "OPEN" | "PAID" | "VOID"; kind?: "CREDIT_LINE" | "OVERAGE" };

async function statement(db: Db, teamId: string, s: StatementInput) {
  return db.statement.create({
    data: {
      teamId,
      kind: s.kind ?? "CREDIT_LINE",
      closesAt: at(s.closesAt),
      dueAt: s.dueAt ? at(s.dueAt) : null,
      paidAt: s.paidAt ? at(s.paidAt) : null,
      drawnCredits: s.cents * CREDITS_PER_CENT,
      amountCents: s.cents,
      status: s.status,
    },
  });
}

async function usage(db: Db, teamId: string, day: string, credits: bigint) {
  const [r] = await applyDebits({
    db,
    teamId,
    debits: [{ idempotencyKey: `use-${day}-${credits}`, amount: credits, operation: "matmul", occurredAt: at(`${day}T08:00:00Z`) }],
  });
  expect(r?.status).toBe("debited");
}

describe("getReviewFacts", () => {
  it("reads every fact of a hand-computed history: payments, refunds, disputes, failures, usage by month, balance, line and statements", async () => {
    const { teamId, userId } = await makeTeam(t.db, { name: "Reviewed" });
    await t.db.team.update({ where: { id: teamId }, data: { createdAt: at("2026-05-10T00:00:00Z") } });

    // Paid: $100 (Jun), $20 (Jul), $500 Buy Credit (Sep), $50 auto top-up (Oct), $10 (Nov): $680 in 5 payments.
    const p1 = await paidPayment(t.db, teamId, "TOPUP", 10_000n, at("2026-06-15T10:00:00Z"));
    const p4 = await paidPayment(t.db, teamId, "TOPUP", 2_000n, at("2026-07-01T10:00:00Z"));
    const p2 = await paidPayment(t.db, teamId, "PURCHASE", 50_000n, at("2026-09-10T10:00:00Z"));
    const p3 = await paidPayment(t.db, teamId, "AUTO_TOPUP", 5_000n, at("2026-10-05T10:00:00Z"));
    const p9 = await paidPayment(t.db, teamId, "TOPUP", 1_000n, at("2026-11-02T10:00:00Z"));
    // Refunds: $200 of the $500 (a further $50 refund failed and does not count), and all of the $10.
    await moneyNews(t.db, p2, [
      { kind: "refund", id: "re_200", amountCents: 20_000n, status: "succeeded" },
      { kind: "refund", id: "re_50_failed", amountCents: 5_000n, status: "failed" },
    ]);
    await moneyNews(t.db, p9, [{ kind: "refund", id: "re_10", amountCents: 1_000n, status: "succeeded" }]);
    // Disputes: the $50 open, the $20 lost, the $100 won.
    await moneyNews(t.db, p3, [{ kind: "dispute", id: "du_open", amountCents: 5_000n, status: "needs_response" }]);
    await moneyNews(t.db, p4, [{ kind: "dispute", id: "du_lost", amountCents: 2_000n, status: "lost" }]);
    await moneyNews(t.db, p1, [{ kind: "dispute", id: "du_won", amountCents: 10_000n, status: "won" }]);
    // Failed: one in the last 90 days (since Aug 22 12:00), one before; pending and expired ones are not failures.
    await unpaidPayment(t.db, teamId, "FAILED", at("2026-10-01T00:00:00Z"));
    await unpaidPayment(t.db, teamId, "FAILED", at("2026-06-01T00:00:00Z"));
    await unpaidPayment(t.db, teamId, "PENDING", at("2026-11-19T00:00:00Z"));
    await unpaidPayment(t.db, teamId, "EXPIRED", at("2026-11-18T00:00:00Z"));

    // Credited 54,400,000; taken back 16,000,000 + 800,000 (refunds) + 4,000,000 + 1,600,000 (disputes held).
    expect(await teamBalance(t.db, teamId)).toBe(32_000_000n);
    await setCreditLimit({ db: t.db, teamId, limitCents: 50_000n, actorUserId: userId, reason: "test" });
    // Usage: May (before the window), Jun $10, no usage in Jul, Aug $50, Sep $30, Oct $500, Nov $100.005, and a day after NOW.
    await usage(t.db, teamId, "2026-05-20", 400_000n);
    await usage(t.db, teamId, "2026-06-03", 800_000n);
    await usage(t.db, teamId, "2026-08-31", 4_000_000n);
    await usage(t.db, teamId, "2026-09-01", 2_400_000n);
    await usage(t.db, teamId, "2026-10-12", 40_000_000n);
    await usage(t.db, teamId, "2026-11-20", 8_000_400n);
    await usage(t.db, teamId, "2026-11-25", 80_000n);
    expect(await teamBalance(t.db, teamId)).toBe(32_000_000n - 55_680_400n);

    await statement(t.db, teamId, {
      closesAt: "2026-05-31T00:00:00Z",
      dueAt: "2026-06-10T00:00:00Z",
      paidAt: "2026-06-10T00:00:00Z",
      cents: 700n,
      status: "PAID",
    });
    await statement(t.db, teamId, { closesAt: "2026-06-01T00:00:00Z", cents: 600n, status: "VOID" });
    await statement(t.db, teamId, {
      closesAt: "2026-07-01T00:00:00Z",
      dueAt: "2026-07-15T00:00:00Z",
      paidAt: "2026-07-10T00:00:00Z",
      cents: 10_000n,
      status: "PAID",
    });
    await statement(t.db, teamId, {
      closesAt: "2026-08-01T00:00:00Z",
      dueAt: "2026-08-15T00:00:00Z",
      paidAt: "2026-08-20T00:00:00Z",
      cents: 2_000n,
      status: "PAID",
    });
    await statement(t.db, teamId, { closesAt: "2026-09-01T00:00:00Z", paidAt: "2026-09-01T00:05:00Z", cents: 4_000n, status: "PAID" });
    await statement(t.db, teamId, { closesAt: "2026-10-01T00:00:00Z", dueAt: "2026-10-15T00:00:00Z", cents: 3_000n, status: "OPEN" });
    await statement(t.db, teamId, { closesAt: "2026-11-01T00:00:00Z", dueAt: "2026-11-25T00:00:00Z", cents: 8_000n, status: "OPEN" });
    // Not a credit line's: an unpaid overage statement is not this history.
    await statement(t.db, teamId, { closesAt: "2026-10-01T00:00:00Z", dueAt: "2026-10-05T00:00:00Z", cents: 900n, status: "OPEN", kind: "OVERAGE" });

    // Another team's payments and statements stay out.
    const other = await makeTeam(t.db);
    await paidPayment(t.db, other.teamId, "TOPUP", 99_900n, at("2026-10-01T00:00:00Z"));
    await unpaidPayment(t.db, other.teamId, "FAILED", at("2026-11-01T00:00:00Z"));
    await statement(t.db, other.teamId, { closesAt: "2026-10-01T00:00:00Z", dueAt: "2026-10-02T00:00:00Z", cents: 100n, status: "OPEN" });

    const f = await getReviewFacts({ db: t.db, teamId, now: NOW });
    expect(f.account).toEqual({ createdAt: at("2026-05-10T00:00:00Z"), ageDays: 194 });
    expect(f.topUps).toEqual({
      lifetime: { count: 5, cents: 68_000n, refundedCents: 21_000n, netCents: 47_000n },
      recent: { count: 3, cents: 56_000n, refundedCents: 21_000n, netCents: 35_000n },
      recentSince: at("2026-09-01T00:00:00Z"),
    });
    expect(f.monthlySpend).toEqual([
      { month: "2026-06-01", credits: 800_000n, cents: 1_000n, partial: false },
      { month: "2026-07-01", credits: 0n, cents: 0n, partial: false },
      { month: "2026-08-01", credits: 4_000_000n, cents: 5_000n, partial: false },
      { month: "2026-09-01", credits: 2_400_000n, cents: 3_000n, partial: false },
      { month: "2026-10-01", credits: 40_000_000n, cents: 50_000n, partial: false },
      { month: "2026-11-01", credits: 8_000_400n, cents: 10_001n, partial: true }, // half a cent rounds up
    ]);
    expect(f.refunds).toEqual({ count: 2, cents: 21_000n });
    expect(f.disputes).toEqual({ count: 3, cents: 17_000n, open: 1, lost: 1 });
    expect(f.failedPayments).toEqual({ count: 2, last90Days: 1 });
    expect(f.balance).toEqual({ credits: -23_680_400n, cents: -29_601n });
    expect(f.creditLine).toEqual({ limitCents: 50_000n, limitCredits: 40_000_000n, drawSuspendedAt: null });
    const { recent, ...counts } = f.statements;
    expect(counts).toEqual({ total: 6, paidOnTime: 3, paidLate: 1, unpaidPastDue: 1, unpaidPastDueCents: 3_000n, unpaidNotDue: 1, void: 1, onTimeInARow: 0 });
    expect(recent.map((s) => [s.closesAt.toISOString().slice(0, 10), s.standing, s.amountCents])).toEqual([
      ["2026-11-01", "UNPAID_NOT_DUE", 8_000n],
      ["2026-10-01", "UNPAID_PAST_DUE", 3_000n],
      ["2026-09-01", "PAID_ON_TIME", 4_000n],
      ["2026-08-01", "PAID_LATE", 2_000n],
      ["2026-07-01", "PAID_ON_TIME", 10_000n],
      ["2026-06-01", "VOID", 600n],
    ]);

    // Later, the November statement is past due too; the facts are read at the moment given.
    const later = await getReviewFacts({ db: t.db, teamId, now: at("2026-12-01T00:00:00Z") });
    expect([later.statements.unpaidPastDue, later.statements.unpaidPastDueCents, later.statements.unpaidNotDue]).toEqual([2, 11_000n, 0]);
    expect(later.monthlySpend.at(-2)).toEqual({ month: "2026-11-01", credits: 8_080_400n, cents: 10_101n, partial: false });
    expect(later.failedPayments.last90Days).toBe(1);

    // What a route sends survives the wire: encoded with the schema, decoded back to the same facts.
    const wire = JSON.parse(JSON.stringify(z.encode(reviewFactsSchema, f)));
    expect(z.decode(reviewFactsSchema, wire)).toEqual(f);
    const s = suggestLimit(f, { kind: "INCREASE", requestedLimitCents: 100_000n, currentLimitCents: 50_000n });
    expect(s).toMatchObject({ limitCents: 50_000n, rule: "UNPAID_PAST_DUE" });
    expect(z.decode(limitSuggestionSchema, JSON.parse(JSON.stringify(z.encode(limitSuggestionSchema, s))))).toEqual(s);

    // The panel says each of these in words.
    const html = renderToStaticMarkup(createElement(ReviewFactsPanel, { facts: z.decode(reviewFactsSchema, wire), suggestion: s })).replace(/<!-- -->/g, "");
    const text = html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
    for (const phrase of [
      "Suggested limit: $500.00 /month (Unpaid statement)",
      "194 days (since May 10, 2026)",
      "$680.00 in 5 payments · $210.00 refunded · $470.00 net",
      "3 ($170.00): 1 open, 1 lost",
      "2 (1 in the last 90 days)",
      "-$296.01 (-23,680,400 credits) · drawing on the line",
      "$500.00/month",
      "6: 3 paid on time, 1 late , 1 unpaid past due ($30.00) , 1 not yet due",
      "Jul 2026 0 $0.00",
      "Nov 2026 (so far) 8,000,400 $100.01",
      "Oct 1, 2026 $30.00 Oct 15, 2026 Unpaid, past due",
      "Sep 1, 2026 $40.00 On issue Paid on time Sep 1, 2026",
    ]) {
      expect(text).toContain(phrase);
    }
    expect(html).toContain('<table class="w-full text-left tabular-nums"><caption');
  });

  it("answers zeros and six empty months for a new team, and NOT_FOUND for no team", async () => {
    const { teamId } = await makeTeam(t.db);
    const f = await getReviewFacts({ db: t.db, teamId, now: NOW });
    expect(f.topUps.lifetime).toEqual({ count: 0, cents: 0n, refundedCents: 0n, netCents: 0n });
    expect(f.monthlySpend.map((m) => [m.month, m.cents])).toEqual(["06", "07", "08", "09", "10", "11"].map((m) => [`2026-${m}-01`, 0n]));
    expect(f.disputes).toEqual({ count: 0, cents: 0n, open: 0, lost: 0 });
    expect(f.statements).toMatchObject({ total: 0, recent: [] });
    expect(f.account.ageDays).toBe(0); // created after NOW (the test clock is behind the database's)
    await expect(getReviewFacts({ db: t.db, teamId: "team_nope", now: NOW })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

// A long history made in SQL (a few thousand rows per table, for this team and others), checked against the same rule
// computed here row by row. The query plans for such a history are described in the report of this change.
async function fillHistory(teamId: string, n: number) {
  await t.db.$executeRawUnsafe(
    `INSERT INTO payments (team_id, kind, status, method, amount_cents, credits, refunded_cents, idempotency_key, succeeded_at, created_at)
     SELECT $1, (ARRAY['TOPUP','PURCHASE','AUTO_TOPUP'])[1 + i % 3]::"PaymentKind",
            (CASE WHEN i % 5 = 0 THEN 'FAILED' WHEN i % 7 = 0 THEN 'PARTIALLY_REFUNDED' ELSE 'SUCCEEDED' END)::"PaymentStatus", 'card',
            100 * i, 80000 * i, CASE WHEN i % 7 = 0 AND i % 5 <> 0 THEN 10 * i ELSE 0 END, 'bulk-' || i,
            CASE WHEN i % 5 <> 0 THEN $2::timestamptz - make_interval(hours => i) END, $2::timestamptz - make_interval(hours => i)
       FROM generate_series(1, $3::int) i`,
    teamId,
    NOW,
    n,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO payment_money_facts (id, payment_id, kind, amount_cents, currency, status, status_rank)
     SELECT 'du_' || id, id, 'dispute', amount_cents, 'usd', CASE WHEN amount_cents % 200 = 0 THEN 'lost' ELSE 'needs_response' END, 2
       FROM payments WHERE team_id = $1 AND succeeded_at IS NOT NULL AND amount_cents % 1100 = 0
     UNION ALL SELECT 're_' || id, id, 'refund', refunded_cents, 'usd', 'succeeded', 1 FROM payments WHERE team_id = $1 AND refunded_cents > 0`,
    teamId,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO usage_rollups (team_id, day, operation, quantity, credits, events)
     SELECT $1, date '2026-11-20' - d, 'op' || o, 1, 1000 * d + o, 1 FROM generate_series(0, 199) d, generate_series(1, 10) o`,
    teamId,
  );
  await t.db.$executeRawUnsafe(
    `INSERT INTO statements (team_id, kind, closes_at, drawn_credits, amount_cents, status, due_at, paid_at)
     SELECT $1, 'CREDIT_LINE', $2::timestamptz - make_interval(days => d), 800 * d, d, (CASE WHEN d % 4 = 0 THEN 'OPEN' ELSE 'PAID' END)::"StatementStatus",
            $2::timestamptz - make_interval(days => d - 10), CASE WHEN d % 4 <> 0 THEN $2::timestamptz - make_interval(days => d - d % 15) END
       FROM generate_series(1, 300) d`,
    teamId,
    NOW,
  );
}

describe("getReviewFacts on a long history", () => {
  it("aggregates thousands of rows to the same facts as the rule computed row by row", async () => {
    const { teamId } = await makeTeam(t.db);
    await fillHistory(teamId, 3000);
    for (let k = 0; k < 3; k++) await fillHistory((await makeTeam(t.db)).teamId, 1000);
    const f = await getReviewFacts({ db: t.db, teamId, now: NOW });

    const HOUR = 3_600_000;
    const recentSince = at("2026-09-01T00:00:00Z").getTime();
    const want = { count: 0, cents: 0n, refunded: 0n, rCount: 0, rCents: 0n, rRefunded: 0n, refunds: 0, failed: 0, failed90: 0 };
    const disputes = { count: 0, cents: 0n, open: 0, lost: 0 };
    for (let i = 1; i <= 3000; i++) {
      const when = NOW.getTime() - i * HOUR;
      const cents = BigInt(100 * i);
      if (i % 5 === 0) {
        want.failed++;
        if (when >= NOW.getTime() - 90 * 24 * HOUR) want.failed90++;
        continue;
      }
      const refunded = i % 7 === 0 ? BigInt(10 * i) : 0n;
      want.count++;
      want.cents += cents;
      want.refunded += refunded;
      if (refunded > 0n) want.refunds++;
      if (when >= recentSince) [want.rCount, want.rCents, want.rRefunded] = [want.rCount + 1, want.rCents + cents, want.rRefunded + refunded];
      if (cents % 1100n === 0n) {
        disputes.count++;
        disputes.cents += cents;
        if (cents % 200n === 0n) disputes.lost++;
        else disputes.open++;
      }
    }
    expect(f.topUps.lifetime).toEqual({ count: want.count, cents: want.cents, refundedCents: want.refunded, netCents: want.cents - want.refunded });
    expect(f.topUps.recent).toEqual({ count: want.rCount, cents: want.rCents, refundedCents: want.rRefunded, netCents: want.rCents - want.rRefunded });
    expect(f.refunds).toEqual({ count: want.refunds, cents: want.refunded });
    expect(f.failedPayments).toEqual({ count: want.failed, last90Days: want.failed90 });
    expect(f.disputes).toEqual(disputes);

    const spend = new Map<string, bigint>();
    for (let d = 0; d <= 199; d++) {
      const month = new Date(Date.UTC(2026, 10, 20 - d)).toISOString().slice(0, 8) + "01";
      for (let o = 1; o <= 10; o++) spend.set(month, (spend.get(month) ?? 0n) + BigInt(1000 * d + o));
    }
    expect(f.monthlySpend.map((m) => [m.month, m.credits])).toEqual(
      ["06", "07", "08", "09", "10", "11"].map((m) => [`2026-${m}-01`, spend.get(`2026-${m}-01`)]),
    );

    const st = { total: 300, paidOnTime: 0, paidLate: 0, unpaidPastDue: 0, unpaidPastDueCents: 0n, unpaidNotDue: 0, void: 0, onTimeInARow: 3 };
    for (let d = 1; d <= 300; d++) {
      if (d % 4 !== 0) {
        if (d % 15 > 10) st.paidLate++;
        else st.paidOnTime++;
      } else if (d > 10) [st.unpaidPastDue, st.unpaidPastDueCents] = [st.unpaidPastDue + 1, st.unpaidPastDueCents + BigInt(d)];
      else st.unpaidNotDue++;
    }
    const { recent, ...counts } = f.statements;
    expect(counts).toEqual(st);
    expect(recent.map((r) => r.amountCents)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
  });
});

const months = (cents: bigint[]): ReviewFacts["monthlySpend"] =>
  cents.map((c, i) => ({ month: `2026-${String(6 + i).padStart(2, "0")}-01`, credits: c * CREDITS_PER_CENT, cents: c, partial: i === cents.length - 1 }));

const history = (opts: { spend?: bigint[]; unpaidPastDue?: number; paidLate?: number } = {}): Pick<ReviewFacts, "monthlySpend" | "statements"> => ({
  monthlySpend: months(opts.spend ?? [0n, 0n, 0n, 0n, 0n, 0n]),
  statements: {
    total: 4,
    paidOnTime: 3,
    paidLate: opts.paidLate ?? 0,
    unpaidPastDue: opts.unpaidPastDue ?? 0,
    unpaidPastDueCents: opts.unpaidPastDue ? 4_200n : 0n,
    unpaidNotDue: 0,
    void: 0,
    onTimeInARow: 3,
    recent: [],
  },
});

describe("suggestLimit", () => {
  it("caps a first approval at $200/month (configurable) and at the request", () => {
    const big = suggestLimit(history(), { kind: "NEW", requestedLimitCents: 150_000n, currentLimitCents: 0n }, config);
    expect(big).toEqual({
      limitCents: 20_000n,
      rule: "FIRST_LIMIT",
      reason: "First approval: capped at $200.00/month (the first-approval limit); $1,500.00/month was requested.",
    });
    expect(suggestLimit(history(), { kind: "NEW", requestedLimitCents: 20_000n, currentLimitCents: 0n }, config).limitCents).toBe(20_000n);
    const small = suggestLimit(history(), { kind: "NEW", requestedLimitCents: 15_000n, currentLimitCents: 0n }, config);
    expect(small).toMatchObject({ limitCents: 15_000n, rule: "FIRST_LIMIT" });
    expect(small.reason).toContain("$150.00/month is within the $200.00/month");
    expect(suggestLimit(history(), { kind: "NEW", requestedLimitCents: 0n, currentLimitCents: 0n }, config).limitCents).toBe(0n);
    const five = { ...config, firstLimitCents: 50_000n };
    expect(suggestLimit(history(), { kind: "NEW", requestedLimitCents: 150_000n, currentLimitCents: 0n }, five).limitCents).toBe(50_000n);
    expect(parseBillingConfig({ CREDIT_LINE_FIRST_LIMIT_CENTS: "30000" }).creditLineReview.firstLimitCents).toBe(30_000n);
  });

  it("bounds an increase by 2.5× the current limit or 1.5× the highest spend of the last 3 months, naming the numbers", () => {
    // Peak of the last three months (Sep, Oct, Nov) is Oct's $500; August's $10,000 is older and does not count.
    const facts = history({ spend: [0n, 0n, 1_000_000n, 10_000n, 50_000n, 20_000n] });
    const capped = suggestLimit(facts, { kind: "INCREASE", requestedLimitCents: 100_000n, currentLimitCents: 20_000n }, config);
    expect(capped).toEqual({
      limitCents: 75_000n,
      rule: "INCREASE_BOUND",
      reason:
        "Increase capped at $750.00/month, the larger of 2.5× the current $200.00 limit ($500.00) and 1.5× the highest monthly spend " +
        "of the last 3 months ($500.00 in Oct 2026: $750.00); $1,000.00/month was requested.",
    });
    expect(suggestLimit(facts, { kind: "INCREASE", requestedLimitCents: 75_001n, currentLimitCents: 20_000n }, config).limitCents).toBe(75_000n);
    const within = suggestLimit(facts, { kind: "INCREASE", requestedLimitCents: 75_000n, currentLimitCents: 20_000n }, config);
    expect(within.limitCents).toBe(75_000n);
    expect(within.reason).toMatch(/^Increase: the requested \$750\.00\/month is within \$750\.00\/month/);
    // Little spend: the current limit's multiple is the bound.
    const quiet = suggestLimit(
      history({ spend: [0n, 0n, 0n, 100n, 0n, 0n] }),
      { kind: "INCREASE", requestedLimitCents: 100_000n, currentLimitCents: 20_000n },
      config,
    );
    expect(quiet.limitCents).toBe(50_000n);
    // The multipliers are configuration.
    const strict = parseBillingConfig({ CREDIT_LINE_INCREASE_LIMIT_PCT: "100", CREDIT_LINE_INCREASE_SPEND_PCT: "120", CREDIT_LINE_INCREASE_SPEND_MONTHS: "6" });
    const s = suggestLimit(facts, { kind: "INCREASE", requestedLimitCents: 10_000_000n, currentLimitCents: 20_000n }, strict.creditLineReview);
    expect(s.limitCents).toBe(1_200_000n);
    expect(s.reason).toContain("1.2× the highest monthly spend of the last 6 months ($10,000.00 in Aug 2026");
    expect(() => parseBillingConfig({ CREDIT_LINE_INCREASE_LIMIT_PCT: "90" })).toThrow(/CREDIT_LINE_INCREASE_LIMIT_PCT/);
    expect(() => parseBillingConfig({ CREDIT_LINE_INCREASE_SPEND_MONTHS: "7" })).toThrow(/CREDIT_LINE_INCREASE_SPEND_MONTHS/);
  });

  it("allows no increase while a statement is unpaid past due, or after more than one late payment", () => {
    const spend = [0n, 0n, 0n, 0n, 90_000n, 0n];
    const unpaid = suggestLimit(history({ spend, unpaidPastDue: 1 }), { kind: "INCREASE", requestedLimitCents: 50_000n, currentLimitCents: 20_000n }, config);
    expect(unpaid).toEqual({
      limitCents: 20_000n,
      rule: "UNPAID_PAST_DUE",
      reason: "No more credit: 1 statement is unpaid past the due date ($42.00 owed), so $200.00 (the current limit, at most the request).",
    });
    // Never above the request, even when the request is below the current limit.
    expect(suggestLimit(history({ unpaidPastDue: 2 }), { kind: "INCREASE", requestedLimitCents: 5_000n, currentLimitCents: 20_000n }, config).limitCents).toBe(
      5_000n,
    );
    // A new line for a team with an unpaid statement: nothing.
    expect(suggestLimit(history({ unpaidPastDue: 1 }), { kind: "NEW", requestedLimitCents: 20_000n, currentLimitCents: 0n }, config)).toMatchObject({
      limitCents: 0n,
      rule: "UNPAID_PAST_DUE",
    });
    const oneLate = suggestLimit(history({ spend, paidLate: 1 }), { kind: "INCREASE", requestedLimitCents: 500_000n, currentLimitCents: 20_000n }, config);
    expect(oneLate).toMatchObject({ limitCents: 135_000n, rule: "INCREASE_BOUND" });
    const twoLate = suggestLimit(history({ spend, paidLate: 2 }), { kind: "INCREASE", requestedLimitCents: 500_000n, currentLimitCents: 20_000n }, config);
    expect(twoLate).toMatchObject({ limitCents: 20_000n, rule: "LATE_PAYMENTS" });
    expect(twoLate.reason).toBe("No more credit: 2 statements were paid late, more than the 1 allowed, so $200.00 (the current limit, at most the request).");
  });

  it("refuses negative amounts", () => {
    expect(() => suggestLimit(history(), { kind: "NEW", requestedLimitCents: -1n, currentLimitCents: 0n }, config)).toThrow(
      expect.objectContaining({ code: "VALIDATION_FAILED", details: { field: "requestedLimitCents" } }),
    );
    expect(() => suggestLimit(history(), { kind: "INCREASE", requestedLimitCents: 1n, currentLimitCents: -5n }, config)).toThrow(/current limit/);
  });

  it("is never negative, never above the request and never above the rule's bound (property)", () => {
    const cfg: fc.Arbitrary<CreditLineReviewConfig> = fc.record({
      firstLimitCents: fc.bigInt(0n, 10_000_000n),
      increaseLimitPct: fc.bigInt(100n, 1_000n),
      increaseSpendPct: fc.bigInt(0n, 1_000n),
      increaseSpendMonths: fc.integer({ min: 1, max: 6 }),
      increaseMaxLate: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        cfg,
        fc.array(fc.bigInt(0n, 100_000_000n), { minLength: 6, maxLength: 6 }),
        fc.nat(2),
        fc.nat(4),
        fc.constantFrom("NEW" as const, "INCREASE" as const),
        fc.bigInt(0n, 10_000_000_000n),
        fc.bigInt(0n, 10_000_000_000n),
        (c, spend, unpaidPastDue, paidLate, kind, requested, current) => {
          const s = suggestLimit(history({ spend, unpaidPastDue, paidLate }), { kind, requestedLimitCents: requested, currentLimitCents: current }, c);
          // The bound restated from the rule, independently of the implementation.
          const peak = spend.slice(6 - c.increaseSpendMonths).reduce((a, b) => (a > b ? a : b), 0n);
          const increase = [(current * c.increaseLimitPct) / 100n, (peak * c.increaseSpendPct) / 100n, current].reduce((a, b) => (a > b ? a : b));
          const bound = unpaidPastDue > 0 || paidLate > c.increaseMaxLate ? current : kind === "NEW" ? c.firstLimitCents : increase;
          expect(s.limitCents >= 0n).toBe(true);
          expect(s.limitCents <= requested).toBe(true);
          expect(s.limitCents <= bound).toBe(true);
          expect(s.limitCents).toBe(requested < bound ? requested : bound);
          expect(s.reason).toMatch(/\$\d/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
