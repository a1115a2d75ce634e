import { z } from "zod";
import { isoDate, money } from "../../edge/contract";

// The facts a platform admin reviews a credit-line application with, as a route sends them (money as the `money()`
// codec, moments as ISO strings). Client-safe: the review panel and a route contract both use it.

const amount = () => z.object({ count: z.number().int(), cents: money() });

/** Succeeded payments of every kind (top-up, Buy Credit, auto top-up): paid, refunded out of it, and what stayed. */
const paymentsTotal = z.object({ count: z.number().int(), cents: money(), refundedCents: money(), netCents: money() });

const monthSpend = z.object({
  /** First day of the UTC month, "2026-11-01". */
  month: z.string().regex(/^\d{4}-\d{2}-01$/),
  credits: money(),
  cents: money(),
  /** The month `asOf` falls in, so only part of it has been spent yet. */
  partial: z.boolean(),
});

export const STATEMENT_STANDINGS = ["PAID_ON_TIME", "PAID_LATE", "UNPAID_PAST_DUE", "UNPAID_NOT_DUE", "VOID"] as const;
export type StatementStanding = (typeof STATEMENT_STANDINGS)[number];

const statementLine = z.object({
  id: z.string(),
  closesAt: isoDate(),
  dueAt: isoDate().nullable(),
  paidAt: isoDate().nullable(),
  amountCents: money(),
  standing: z.enum(STATEMENT_STANDINGS),
});

export const reviewFactsSchema = z.object({
  teamId: z.string(),
  /** The moment the facts were read at; every window below ends here. */
  asOf: isoDate(),
  account: z.object({ createdAt: isoDate(), ageDays: z.number().int() }),
  topUps: z.object({
    lifetime: paymentsTotal,
    /** Since `recentSince`: the start of the UTC month two months before `asOf`'s (the last three months of spend). */
    recent: paymentsTotal,
    recentSince: isoDate(),
  }),
  /** The last six UTC months, oldest first, the current (partial) month last; a month without usage is zero. */
  monthlySpend: z.array(monthSpend),
  /** Payments with money refunded, and how much. */
  refunds: amount(),
  /** Every dispute opened on the team's payments; `open` still undecided, `lost` decided against the team. */
  disputes: z.object({ count: z.number().int(), cents: money(), open: z.number().int(), lost: z.number().int() }),
  failedPayments: z.object({ count: z.number().int(), last90Days: z.number().int() }),
  balance: z.object({ credits: money(), cents: money() }),
  creditLine: z.object({ limitCents: money(), limitCredits: money(), drawSuspendedAt: isoDate().nullable() }),
  /** Credit-line statements (void ones only counted in `void`); paid on time: by the due date, or charged on issue without one. */
  statements: z.object({
    total: z.number().int(),
    paidOnTime: z.number().int(),
    paidLate: z.number().int(),
    unpaidPastDue: z.number().int(),
    unpaidPastDueCents: money(),
    unpaidNotDue: z.number().int(),
    void: z.number().int(),
    /** Paid on time in a row back from the latest (the healthy cycles an increase needs; see healthy-cycles.ts). */
    onTimeInARow: z.number().int(),
    /** The six latest by closing date, newest first. */
    recent: z.array(statementLine),
  }),
});

export type ReviewFacts = z.output<typeof reviewFactsSchema>;

/** Which rule decided a suggestion: the first-approval cap, the increase bound, or a repayment problem that allows no more. */
export const SUGGESTION_RULES = ["FIRST_LIMIT", "INCREASE_BOUND", "UNPAID_PAST_DUE", "LATE_PAYMENTS"] as const;
export type SuggestionRule = (typeof SUGGESTION_RULES)[number];

export const limitSuggestionSchema = z.object({ limitCents: money(), reason: z.string(), rule: z.enum(SUGGESTION_RULES) });
export type LimitSuggestion = z.output<typeof limitSuggestionSchema>;
