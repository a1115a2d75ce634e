import { z } from "zod";
import type { CreditSource } from "../db/generated/enums";
import { startOfNextUtcMonth } from "./dates";
import { parseReturnUrlRules, type ReturnUrlRule } from "./subscriptions/return-url";

// Billing configuration from the environment, validated once; a bad value stops start-up with a message naming it.

export const CREDIT_SOURCES = [
  "TOPUP",
  "PURCHASE",
  "AUTO_TOPUP",
  "PLAN",
  "TRIAL",
  "COUPON",
  "PROMO_BONUS",
  "ADJUSTMENT",
  "DISPUTE_REVERSAL",
] as const satisfies readonly CreditSource[];

export const PAYMENT_METHODS = ["card", "paypal", "wechat_pay", "alipay", "naver_pay", "kakao_pay"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Budget alert thresholds, percent of the monthly cap (fixed; the SQL functions use the same list). */
export const BUDGET_ALERT_THRESHOLDS = [50, 80, 100] as const;

/** When credits of a source expire: never, at the end of the billing cycle they belong to, or N days after the grant. */
export type ExpiryRule = { kind: "never" } | { kind: "cycle" } | { kind: "days"; days: number };

/** Who issues the invoice PDFs: a name and address lines. */
export type InvoiceIssuer = { name: string; lines: string[] };

/** A Quick Select bundle on Buy Credit: a price and the credits it buys (more than the standard rate is a bonus). */
export type CreditBundle = { id: string; amountCents: bigint; credits: bigint };

export type BillingConfig = {
  /** Credits bought by one US dollar (the seed's bundles: $100 → 8M credits). */
  creditsPerDollar: bigint;
  /** Buy Credit's Quick Select bundles, in the order shown. */
  creditBundles: CreditBundle[];
  /** Credits every new team receives; 0 turns the trial off. */
  trialCredits: bigint;
  expiry: Record<CreditSource, ExpiryRule>;
  /** Among grants expiring at the same time, lower drains first (plan, trial and coupon before purchased). */
  drainPriority: Record<CreditSource, number>;
  topUpMinCents: bigint;
  topUpMaxCents: bigint;
  paymentMethods: PaymentMethod[];
  debitBatch: {
    /** Wait this long for more debits before sending the first batch of an idle team (0: the next turn of the event loop). */
    windowMs: number;
    /** Most debits in one transaction (whole callers are never split; a larger batch means fewer commits). */
    maxBatch: number;
    /** Batches of one team in flight at once (they serialize on the team row; more than one overlaps round trips). */
    maxInFlight: number;
  };
  /** How long the operation price table is cached in a process. */
  priceCacheMs: number;
  /** How long a process trusts a key check (at most 1 s, so a revocation reaches every instance within a second; 0: none). */
  apiKeyCacheMs: number;
  invoiceIssuer: InvoiceIssuer;
  /** Days a team keeps using its plan after a failed renewal (past_due) before it is unpaid and usage is refused. */
  subscriptionGraceDays: number;
  /** How far below zero a paid, paid-up plan may draw, billed at the overage rate at the cycle's end (0: no overage). */
  overageAllowanceCents: bigint;
  /** A statement under this is not issued (Stripe's minimum charge); the draw carries to the next cycle. */
  statementMinimumCents: bigint;
  /** Days a statement may stay unpaid before drawing is suspended (and a sent statement's due date). */
  statementDaysUntilDue: number;
  /** Where the customer portal may return to besides the app's own origin (BILLING_PORTAL_RETURN_URLS). */
  portalReturnUrls: ReturnUrlRule[];
  /** The suggested limit shown to a credit-line reviewer (lib/billing/credit-lines/suggest-limit.ts). */
  creditLineReview: CreditLineReviewConfig;
  /** A platform admin's credit adjustment at or above this many credits (either sign) needs a second, different admin. */
  adjustmentSecondApprovalCredits: bigint;
  creditLine: {
    /** An approval at or above this monthly limit needs a second, different platform admin to confirm it. */
    secondApprovalCents: bigint;
    /** Statements paid on time, in a row, before a team may ask for a higher line. */
    healthyCycles: number;
    /** A request at or above this monthly limit needs a deposit of the requested amount, paid before approval. */
    guaranteeCents: bigint;
    /** How long a company-email confirmation link works. */
    emailLinkHours: number;
  };
};

/** Percentages are whole numbers so the bound is integer cents: 250 means 2.5 times. */
export type CreditLineReviewConfig = {
  /** The most a first approval suggests per month (the seed: generally up to $200/month). */
  firstLimitCents: bigint;
  /** An increase may reach this percent of the current limit... */
  increaseLimitPct: bigint;
  /** ...or this percent of the highest monthly spend of the last `increaseSpendMonths` UTC months, whichever is higher. */
  increaseSpendPct: bigint;
  increaseSpendMonths: number;
  /** More statements paid late than this and no increase is suggested. */
  increaseMaxLate: number;
};

const defaultExpiry: Record<CreditSource, string> = {
  TOPUP: "never",
  PURCHASE: "never",
  AUTO_TOPUP: "never",
  PLAN: "cycle",
  TRIAL: "30d",
  COUPON: "90d",
  PROMO_BONUS: "90d",
  ADJUSTMENT: "never",
  DISPUTE_REVERSAL: "never",
};

const defaultPriority: Record<CreditSource, number> = {
  PLAN: 10,
  TRIAL: 20,
  COUPON: 30,
  PROMO_BONUS: 40,
  ADJUSTMENT: 50,
  TOPUP: 100,
  PURCHASE: 100,
  AUTO_TOPUP: 100,
  DISPUTE_REVERSAL: 100,
};

const wholeNumber = (def: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,18}$/, "must be a whole number")
    .default(def)
    .transform((v) => BigInt(v));

const smallInt = (def: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .default(String(def))
    .transform((v) => Number(v))
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const expiryRule = (def: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(def)
    .pipe(z.string().regex(/^(never|cycle|\d{1,5}d)$/, 'must be "never", "cycle" or a number of days like "30d"'))
    .transform((v): ExpiryRule => (v === "never" ? { kind: "never" } : v === "cycle" ? { kind: "cycle" } : { kind: "days", days: Number(v.slice(0, -1)) }));

const paymentMethods = z
  .string()
  .default("card,paypal,wechat_pay,alipay,naver_pay")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(PAYMENT_METHODS, { error: `each must be one of ${PAYMENT_METHODS.join(", ")}` })).min(1, "needs at least one method"));

// "100,500" (dollars, credits at the standard rate) or "100:9000000" (dollars:credits, for bonus bundles).
const creditBundles = z
  .string()
  .default("100,500,1000,2000")
  .transform((v) =>
    v
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^\d{1,7}(?::\d{1,18})?$/, 'each must be whole dollars, optionally with credits, like "100" or "100:9000000"'))
      .min(1, "needs at least one bundle")
      .max(8, "allows at most 8 bundles"),
  );

const schema = z
  .object({
    CREDITS_PER_DOLLAR: wholeNumber("80000").refine((v) => v > 0n, "must be greater than 0"),
    TRIAL_CREDITS: wholeNumber("100000"),
    TOPUP_MIN_CENTS: wholeNumber("500").refine((v) => v > 0n, "must be greater than 0"),
    TOPUP_MAX_CENTS: wholeNumber("1000000"),
    PAYMENT_METHODS: paymentMethods,
    DEBIT_BATCH_WINDOW_MS: smallInt(0, 0, 1000),
    DEBIT_BATCH_MAX: smallInt(4000, 1, 10_000),
    DEBIT_BATCH_IN_FLIGHT: smallInt(1, 1, 8),
    PRICE_CACHE_MS: smallInt(5000, 0, 3_600_000),
    API_KEY_CACHE_MS: smallInt(500, 0, 1000),
    SUBSCRIPTION_GRACE_DAYS: smallInt(7, 0, 90),
    OVERAGE_ALLOWANCE_CENTS: wholeNumber("10000"),
    STATEMENT_MINIMUM_CENTS: wholeNumber("50"),
    STATEMENT_DAYS_UNTIL_DUE: smallInt(14, 0, 90),
    CREDIT_LINE_FIRST_LIMIT_CENTS: wholeNumber("20000").refine((v) => v <= 10_000_000_000n, "must be at most 10000000000 (the largest credit limit)"),
    CREDIT_LINE_INCREASE_LIMIT_PCT: smallInt(250, 100, 10_000),
    CREDIT_LINE_INCREASE_SPEND_PCT: smallInt(150, 0, 10_000),
    CREDIT_LINE_INCREASE_SPEND_MONTHS: smallInt(3, 1, 6),
    CREDIT_LINE_INCREASE_MAX_LATE: smallInt(1, 0, 1000),
    CREDIT_BUNDLES: creditBundles,
    CREDIT_LINE_SECOND_APPROVAL_CENTS: wholeNumber("100000").refine((v) => v > 0n, "must be greater than 0"),
    CREDIT_LINE_HEALTHY_CYCLES: smallInt(2, 0, 24),
    ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS: wholeNumber("8000000").refine((v) => v > 0n, "must be greater than 0"),
    CREDIT_LINE_GUARANTEE_CENTS: wholeNumber("500000").refine((v) => v > 0n, "must be greater than 0"),
    CREDIT_LINE_EMAIL_LINK_HOURS: smallInt(48, 1, 720),
    // "*.example.com,localhost,https://app.example.com": hosts, wildcard subdomains or origins (lib/billing/subscriptions/return-url).
    BILLING_PORTAL_RETURN_URLS: z
      .string()
      .default("localhost")
      .transform((v, ctx) => {
        try {
          return parseReturnUrlRules(v);
        } catch (e) {
          ctx.addIssue({ code: "custom", message: (e as Error).message });
          return z.NEVER;
        }
      }),
    INVOICE_ISSUER_NAME: z
      .string()
      .default("")
      .transform((v) => v.trim() || "Creditdesk"),
    // Address lines separated by "|".
    INVOICE_ISSUER_ADDRESS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split("|")
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ...Object.fromEntries(CREDIT_SOURCES.map((s) => [`CREDIT_EXPIRY_${s}`, expiryRule(defaultExpiry[s])])),
    ...Object.fromEntries(CREDIT_SOURCES.map((s) => [`CREDIT_PRIORITY_${s}`, smallInt(defaultPriority[s], 0, 1_000_000)])),
  })
  .superRefine((env, ctx) => {
    if (env.TOPUP_MAX_CENTS < env.TOPUP_MIN_CENTS) ctx.addIssue({ code: "custom", path: ["TOPUP_MAX_CENTS"], message: "must not be below TOPUP_MIN_CENTS" });
    const dollars = env.CREDIT_BUNDLES.map((b) => b.split(":")[0]);
    if (new Set(dollars).size !== dollars.length) ctx.addIssue({ code: "custom", path: ["CREDIT_BUNDLES"], message: "lists the same price twice" });
    if (env.CREDIT_BUNDLES.some((b) => b.split(":").some((n) => BigInt(n) === 0n)))
      ctx.addIssue({ code: "custom", path: ["CREDIT_BUNDLES"], message: "prices and credits must be greater than 0" });
  });

export function parseBillingConfig(source: Record<string, string | undefined> = process.env): BillingConfig {
  // Empty strings count as unset, so `FOO=` in a .env file means "use the default".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const r = schema.safeParse(cleaned);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".") || "environment"}: ${i.message}`);
    throw new Error(`Invalid billing configuration:\n${lines.join("\n")}`);
  }
  const env = r.data as Record<string, unknown>;
  const bySource = <T>(prefix: string) => Object.fromEntries(CREDIT_SOURCES.map((s) => [s, env[`${prefix}${s}`] as T])) as Record<CreditSource, T>;
  const rate = r.data.CREDITS_PER_DOLLAR;
  return {
    creditsPerDollar: rate,
    creditBundles: r.data.CREDIT_BUNDLES.map((b) => {
      const [dollars, credits] = b.split(":");
      const amountCents = BigInt(dollars!) * 100n;
      return { id: dollars!, amountCents, credits: credits ? BigInt(credits) : (amountCents * rate) / 100n };
    }),
    trialCredits: r.data.TRIAL_CREDITS,
    expiry: bySource<ExpiryRule>("CREDIT_EXPIRY_"),
    drainPriority: bySource<number>("CREDIT_PRIORITY_"),
    topUpMinCents: r.data.TOPUP_MIN_CENTS,
    topUpMaxCents: r.data.TOPUP_MAX_CENTS,
    paymentMethods: r.data.PAYMENT_METHODS,
    debitBatch: { windowMs: r.data.DEBIT_BATCH_WINDOW_MS, maxBatch: r.data.DEBIT_BATCH_MAX, maxInFlight: r.data.DEBIT_BATCH_IN_FLIGHT },
    priceCacheMs: r.data.PRICE_CACHE_MS,
    apiKeyCacheMs: r.data.API_KEY_CACHE_MS,
    subscriptionGraceDays: r.data.SUBSCRIPTION_GRACE_DAYS,
    overageAllowanceCents: r.data.OVERAGE_ALLOWANCE_CENTS,
    statementMinimumCents: r.data.STATEMENT_MINIMUM_CENTS,
    statementDaysUntilDue: r.data.STATEMENT_DAYS_UNTIL_DUE,
    portalReturnUrls: r.data.BILLING_PORTAL_RETURN_URLS,
    adjustmentSecondApprovalCredits: r.data.ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS,
    creditLine: {
      secondApprovalCents: r.data.CREDIT_LINE_SECOND_APPROVAL_CENTS,
      healthyCycles: r.data.CREDIT_LINE_HEALTHY_CYCLES,
      guaranteeCents: r.data.CREDIT_LINE_GUARANTEE_CENTS,
      emailLinkHours: r.data.CREDIT_LINE_EMAIL_LINK_HOURS,
    },
    invoiceIssuer: { name: r.data.INVOICE_ISSUER_NAME, lines: r.data.INVOICE_ISSUER_ADDRESS },
    creditLineReview: {
      firstLimitCents: r.data.CREDIT_LINE_FIRST_LIMIT_CENTS,
      increaseLimitPct: BigInt(r.data.CREDIT_LINE_INCREASE_LIMIT_PCT),
      increaseSpendPct: BigInt(r.data.CREDIT_LINE_INCREASE_SPEND_PCT),
      increaseSpendMonths: r.data.CREDIT_LINE_INCREASE_SPEND_MONTHS,
      increaseMaxLate: r.data.CREDIT_LINE_INCREASE_MAX_LATE,
    },
  };
}

let cached: BillingConfig | undefined;

/** The process's billing configuration (parsed on first use). */
export function billingConfig(): BillingConfig {
  cached ??= parseBillingConfig();
  return cached;
}

/** Tests: forget the parsed configuration, or replace it. */
export function resetBillingConfig(next?: BillingConfig): void {
  cached = next;
}

/** End of the UTC month containing `at` (the default billing cycle end). */
export function endOfUtcMonth(at: Date): Date {
  return startOfNextUtcMonth(at);
}

/**
 * When credits of `source` granted at `from` expire under the configured rule: null for never; for "cycle",
 * the given cycle end (a subscription's current period end) or else the end of the UTC month.
 */
export function creditExpiry({
  source,
  from,
  cycleEnd,
  config = billingConfig(),
}: {
  source: CreditSource;
  from: Date;
  cycleEnd?: Date;
  config?: BillingConfig;
}): Date | null {
  const rule = config.expiry[source];
  if (rule.kind === "never") return null;
  if (rule.kind === "cycle") return cycleEnd ?? endOfUtcMonth(from);
  return new Date(from.getTime() + rule.days * 86_400_000);
}
