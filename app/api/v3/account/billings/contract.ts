import * as z from "zod/mini";
import { defineRoute } from "@/lib/edge/contract";
import { HISTORY_TYPES } from "@/lib/billing/history/history-types";

/** The deepest page_size; the default is the seed's 20. */
export const BILLINGS_MAX_PAGE_SIZE = 100;
/** Pages past this are refused rather than read (a billion pages of one item is more than any team has). */
export const BILLINGS_MAX_PAGE = 1_000_000_000;

const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max.toLocaleString("en-US")}`;
  return z.pipe(z.pipe(z.string().check(z.regex(/^\d{1,10}$/, message)), z.transform(Number)), z.number().check(z.gte(min, message), z.lte(max, message)));
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as YYYY-MM-DD → its first instant in UTC. */
const utcDay = z.pipe(
  z.string().check(
    z.refine((s) => {
      const m = DATE.exec(s);
      if (!m) return false;
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
      return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
    }, "must be a date as YYYY-MM-DD, like 2024-01-31"),
  ),
  z.transform((s) => new Date(`${s}T00:00:00.000Z`)),
);

/**
 * GET /api/v3/account/billings: the team's billing history in the seed's shape (billing-history-api.txt), newest first,
 * in the `{ code, message, data }` envelope. Each item is one ledger entry:
 *   type     topup (Top Up, Buy Credit, auto top-up), usage, grant (plan, trial, coupon and promo credits), refund
 *            (and refund reversals), dispute (and released disputes), expiry, adjustment (by a platform admin), statement
 *            (a paid overage or credit-line statement)
 *   amount   the credits in US dollars at CREDITS_PER_DOLLAR (exact to 12 decimals), negative when credits were spent or
 *            taken back; currency is always USD; status is always "completed" (only what reached the ledger is listed)
 *   payment_method on top-ups (card, paypal, wechat_pay, ...; null without a payment); model on usage (the operation)
 *   test     true for usage through a test key (cdk_test_…), which spends the balance but is never charged; else false
 * Query: page (from 1, default 1), page_size (1 to 100, default 20), type (one of the above), start_date and end_date
 * (YYYY-MM-DD, inclusive, UTC). Any page, however deep, costs what the first does.
 */
export const billingsRoute = defineRoute({
  method: "GET",
  path: "/api/v3/account/billings",
  envelope: "seed",
  query: z
    .object({
      page: z._default(wholeNumber(1, BILLINGS_MAX_PAGE), 1),
      page_size: z._default(wholeNumber(1, BILLINGS_MAX_PAGE_SIZE), 20),
      type: z.optional(z.enum(HISTORY_TYPES, { error: `must be one of ${HISTORY_TYPES.join(", ")}` })),
      start_date: z.optional(utcDay),
      end_date: z.optional(utcDay),
    })
    .check(
      z.refine((q) => !q.start_date || !q.end_date || q.end_date >= q.start_date, {
        message: "must not be before start_date",
        path: ["end_date"],
      }),
    ),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        type: z.enum(HISTORY_TYPES),
        amount: z.number(),
        currency: z.literal("USD"),
        status: z.literal("completed"),
        payment_method: z.optional(z.nullable(z.string())),
        model: z.optional(z.nullable(z.string())),
        created_at: z.iso.datetime(),
        test: z.boolean(),
      }),
    ),
    pagination: z.object({ page: z.number(), page_size: z.number(), total: z.number() }),
  }),
});
