import type { Tx } from "../../db/client";
import { billingConfig } from "../config";
import { startOfUtcDay, startOfUtcMonth } from "../dates";
import { BillingError } from "../errors";
import { creditsToCents } from "../money";
import { TOPUP_CURRENCY } from "../topups/payment-methods";
import { countHealthyCycles } from "./healthy-cycles";
import type { ReviewFacts, StatementStanding } from "./review-facts-schema";

export type { LimitSuggestion, ReviewFacts, SuggestionRule } from "./review-facts-schema";
export { suggestLimit } from "./suggest-limit";

const DAY_MS = 86_400_000;
const SPEND_MONTHS = 6;

// Each query aggregates in PostgreSQL from an index led by team_id (payments_team_id_idempotency_key_key,
// usage_rollups_pkey, statements_team_id_closes_at_idx) or the partial payment_money_facts_disputes_idx, so a long
// history costs index scans of the team's own rows and answers a handful of rows, never a row per payment to Node.
// sum() of bigint is numeric in PostgreSQL; each is cast back so the driver answers bigint, not a decimal.

type SummaryRow = {
  created_at: Date;
  balance: bigint;
  credit_limit_cents: bigint;
  credit_limit_credits: bigint;
  draw_suspended_at: Date | null;
  paid_count: bigint;
  paid_cents: bigint;
  paid_refunded_cents: bigint;
  recent_count: bigint;
  recent_cents: bigint;
  recent_refunded_cents: bigint;
  refund_count: bigint;
  failed_count: bigint;
  failed_recent: bigint;
  dispute_count: bigint;
  dispute_cents: bigint;
  dispute_open: bigint;
  dispute_lost: bigint;
  st_total: bigint;
  st_on_time: bigint;
  st_late: bigint;
  st_past_due: bigint;
  st_past_due_cents: bigint;
  st_not_due: bigint;
  st_void: bigint;
};

// $1 team, $2 as of, $3 recent-window start, $4 failed-window start, $5 currency.
const SUMMARY_SQL = `
WITH p AS (
  SELECT count(*) FILTER (WHERE succeeded_at IS NOT NULL) AS paid_count,
         COALESCE(sum(amount_cents) FILTER (WHERE succeeded_at IS NOT NULL), 0)::bigint AS paid_cents,
         COALESCE(sum(refunded_cents) FILTER (WHERE succeeded_at IS NOT NULL), 0)::bigint AS paid_refunded_cents,
         count(*) FILTER (WHERE succeeded_at >= $3 AND succeeded_at <= $2) AS recent_count,
         COALESCE(sum(amount_cents) FILTER (WHERE succeeded_at >= $3 AND succeeded_at <= $2), 0)::bigint AS recent_cents,
         COALESCE(sum(refunded_cents) FILTER (WHERE succeeded_at >= $3 AND succeeded_at <= $2), 0)::bigint AS recent_refunded_cents,
         count(*) FILTER (WHERE succeeded_at IS NOT NULL AND refunded_cents > 0) AS refund_count,
         count(*) FILTER (WHERE status = 'FAILED') AS failed_count,
         count(*) FILTER (WHERE status = 'FAILED' AND created_at >= $4) AS failed_recent
    FROM payments WHERE team_id = $1 AND currency = $5
), d AS (
  SELECT count(*) AS dispute_count, COALESCE(sum(f.amount_cents), 0)::bigint AS dispute_cents,
         count(*) FILTER (WHERE f.status NOT IN ('won', 'lost', 'warning_closed', 'prevented')) AS dispute_open,
         count(*) FILTER (WHERE f.status = 'lost') AS dispute_lost
    FROM (SELECT f.amount_cents, f.status
            FROM payments pay JOIN payment_money_facts f ON f.payment_id = pay.id AND f.kind = 'dispute' AND f.currency = $5
           WHERE pay.team_id = $1
          UNION ALL -- a statement's own charge disputed
          SELECT f.amount_cents, f.status
            FROM statements st JOIN payment_money_facts f ON f.statement_id = st.id AND f.kind = 'dispute' AND f.currency = $5
           WHERE st.team_id = $1) f
), s AS (
  SELECT count(*) FILTER (WHERE NOT void) AS st_total,
         count(*) FILTER (WHERE paid AND (due_at IS NULL OR paid_at IS NULL OR paid_at <= due_at)) AS st_on_time,
         count(*) FILTER (WHERE paid AND paid_at > due_at) AS st_late,
         count(*) FILTER (WHERE open AND due_at < $2) AS st_past_due,
         COALESCE(sum(amount_cents) FILTER (WHERE open AND due_at < $2), 0)::bigint AS st_past_due_cents,
         count(*) FILTER (WHERE open AND (due_at IS NULL OR due_at >= $2)) AS st_not_due,
         count(*) FILTER (WHERE void) AS st_void
    FROM (SELECT *, status = 'VOID' AS void, status <> 'VOID' AND (status = 'PAID' OR paid_at IS NOT NULL) AS paid,
                 status IN ('BILLING', 'OPEN') AND paid_at IS NULL AS open
            FROM statements WHERE team_id = $1 AND kind = 'CREDIT_LINE') st
)
SELECT t.created_at, t.balance, t.credit_limit_cents, t.credit_limit_credits, t.draw_suspended_at, p.*, d.*, s.*
  FROM teams t, p, d, s WHERE t.id = $1`;

const SPEND_SQL = `
SELECT to_char(date_trunc('month', day::timestamp), 'YYYY-MM-DD') AS month, sum(credits)::bigint AS credits
  FROM usage_rollups WHERE team_id = $1 AND day >= $2::date AND day < $3::date GROUP BY 1`;

const STATEMENTS_SQL = `
SELECT id, closes_at, due_at, paid_at, amount_cents, status FROM statements
 WHERE team_id = $1 AND kind = 'CREDIT_LINE' ORDER BY closes_at DESC LIMIT 6`;

type StatementRow = { id: string; closes_at: Date; due_at: Date | null; paid_at: Date | null; amount_cents: bigint; status: string };

function standingOf(s: StatementRow, asOf: Date): StatementStanding {
  if (s.status === "VOID") return "VOID";
  if (s.status === "PAID" || s.paid_at) return s.paid_at && s.due_at && s.paid_at > s.due_at ? "PAID_LATE" : "PAID_ON_TIME";
  return s.due_at && s.due_at < asOf ? "UNPAID_PAST_DUE" : "UNPAID_NOT_DUE";
}

const monthStart = (asOf: Date, back: number) => new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - back, 1));
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What a reviewer needs to judge a team's credit line, read at `now`: account age, payments (succeeded, refunded,
 * disputed, failed), monthly usage, balance, the current line and its statement history. Read-only; NOT_FOUND for a
 * team that does not exist. Amounts are the top-up currency's cents; usage is valued at CREDITS_PER_DOLLAR.
 */
export async function getReviewFacts({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<ReviewFacts> {
  const rate = billingConfig().creditsPerDollar;
  const recentSince = monthStart(now, 2);
  const failedSince = new Date(now.getTime() - 90 * DAY_MS);
  const firstMonth = monthStart(now, SPEND_MONTHS - 1);
  const [summary, spend, statements, onTimeInARow] = await Promise.all([
    db.$queryRawUnsafe<SummaryRow[]>(SUMMARY_SQL, teamId, now, recentSince, failedSince, TOPUP_CURRENCY),
    // The current month's rollups up to today's; usage dated later than `now` is not history yet.
    db.$queryRawUnsafe<{ month: string; credits: bigint }[]>(SPEND_SQL, teamId, isoDay(firstMonth), isoDay(new Date(startOfUtcDay(now).getTime() + DAY_MS))),
    db.$queryRawUnsafe<StatementRow[]>(STATEMENTS_SQL, teamId),
    countHealthyCycles(db, teamId),
  ]);
  const r = summary[0];
  if (!r) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const byMonth = new Map(spend.map((m) => [m.month, m.credits]));
  const current = isoDay(startOfUtcMonth(now));
  const n = (v: bigint) => Number(v);
  return {
    teamId,
    asOf: now,
    account: { createdAt: r.created_at, ageDays: Math.max(0, Math.floor((now.getTime() - r.created_at.getTime()) / DAY_MS)) },
    topUps: {
      lifetime: { count: n(r.paid_count), cents: r.paid_cents, refundedCents: r.paid_refunded_cents, netCents: r.paid_cents - r.paid_refunded_cents },
      recent: {
        count: n(r.recent_count),
        cents: r.recent_cents,
        refundedCents: r.recent_refunded_cents,
        netCents: r.recent_cents - r.recent_refunded_cents,
      },
      recentSince,
    },
    monthlySpend: Array.from({ length: SPEND_MONTHS }, (_, i) => {
      const month = isoDay(monthStart(now, SPEND_MONTHS - 1 - i));
      const credits = byMonth.get(month) ?? 0n;
      return { month, credits, cents: creditsToCents(credits, rate), partial: month === current };
    }),
    refunds: { count: n(r.refund_count), cents: r.paid_refunded_cents },
    disputes: { count: n(r.dispute_count), cents: r.dispute_cents, open: n(r.dispute_open), lost: n(r.dispute_lost) },
    failedPayments: { count: n(r.failed_count), last90Days: n(r.failed_recent) },
    balance: { credits: r.balance, cents: creditsToCents(r.balance, rate) },
    creditLine: { limitCents: r.credit_limit_cents, limitCredits: r.credit_limit_credits, drawSuspendedAt: r.draw_suspended_at },
    statements: {
      total: n(r.st_total),
      paidOnTime: n(r.st_on_time),
      paidLate: n(r.st_late),
      unpaidPastDue: n(r.st_past_due),
      unpaidPastDueCents: r.st_past_due_cents,
      unpaidNotDue: n(r.st_not_due),
      void: n(r.st_void),
      onTimeInARow,
      recent: statements.map((s) => ({
        id: s.id,
        closesAt: s.closes_at,
        dueAt: s.due_at,
        paidAt: s.paid_at,
        amountCents: s.amount_cents,
        standing: standingOf(s, now),
      })),
    },
  };
}
