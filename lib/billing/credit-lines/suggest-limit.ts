import { billingConfig, type CreditLineReviewConfig } from "../config";
import { BillingError } from "../errors";
import { formatCents } from "../money";
import type { LimitSuggestion, ReviewFacts } from "./review-facts-schema";

export type LimitRequest = { kind: "NEW" | "INCREASE"; requestedLimitCents: bigint; currentLimitCents: bigint };

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** 250n → "2.5×", 100n → "1×": a whole-number percentage as the multiplier an admin reads. */
function times(pct: bigint): string {
  const frac = String(pct % 100n)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return `${pct / 100n}${frac ? `.${frac}` : ""}×`;
}

const monthName = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });

/**
 * The monthly limit to suggest to the reviewer, with the rule that decided it and a sentence naming the numbers.
 * A first approval is capped at CREDIT_LINE_FIRST_LIMIT_CENTS; an increase at the larger of the current limit times
 * CREDIT_LINE_INCREASE_LIMIT_PCT and the highest monthly spend of the last CREDIT_LINE_INCREASE_SPEND_MONTHS times
 * CREDIT_LINE_INCREASE_SPEND_PCT. A statement unpaid past its due date, or more late ones than
 * CREDIT_LINE_INCREASE_MAX_LATE, allows nothing above the current limit. Never above the request, never negative.
 * Integer cents throughout: percentages divide last and round down.
 */
export function suggestLimit(
  facts: Pick<ReviewFacts, "monthlySpend" | "statements">,
  request: LimitRequest,
  config: CreditLineReviewConfig = billingConfig().creditLineReview,
): LimitSuggestion {
  const { kind, requestedLimitCents: requested, currentLimitCents: current } = request;
  if (requested < 0n) throw new BillingError("VALIDATION_FAILED", "The requested limit cannot be negative.", { field: "requestedLimitCents" });
  if (current < 0n) throw new BillingError("VALIDATION_FAILED", "The current limit cannot be negative.", { field: "currentLimitCents" });
  const asked = formatCents(requested);
  const st = facts.statements;

  const held = min(current, requested);
  if (st.unpaidPastDue > 0) {
    const owed = `${plural(st.unpaidPastDue, "statement is", "statements are")} unpaid past the due date (${formatCents(st.unpaidPastDueCents)} owed)`;
    return { limitCents: held, rule: "UNPAID_PAST_DUE", reason: `No more credit: ${owed}, so ${formatCents(held)} (the current limit, at most the request).` };
  }
  if (st.paidLate > config.increaseMaxLate) {
    const late = `${plural(st.paidLate, "statement was", "statements were")} paid late, more than the ${config.increaseMaxLate} allowed`;
    return { limitCents: held, rule: "LATE_PAYMENTS", reason: `No more credit: ${late}, so ${formatCents(held)} (the current limit, at most the request).` };
  }

  if (kind === "NEW") {
    const cap = config.firstLimitCents;
    const limitCents = min(cap, requested);
    const reason =
      requested <= cap
        ? `First approval: the requested ${asked}/month is within the ${formatCents(cap)}/month first-approval limit.`
        : `First approval: capped at ${formatCents(cap)}/month (the first-approval limit); ${asked}/month was requested.`;
    return { limitCents, rule: "FIRST_LIMIT", reason };
  }

  const months = facts.monthlySpend.slice(-config.increaseSpendMonths);
  const peak = months.reduce<{ cents: bigint; month: string | null }>((best, m) => (m.cents > best.cents ? { cents: m.cents, month: m.month } : best), {
    cents: 0n,
    month: null,
  });
  const fromLimit = (current * config.increaseLimitPct) / 100n;
  const fromSpend = (peak.cents * config.increaseSpendPct) / 100n;
  // The multiplier on the current limit is at least 1× (config), so the bound never falls below the current limit.
  const bound = [fromLimit, fromSpend, current].reduce((a, b) => (a > b ? a : b));
  const peakText = peak.month ? `${formatCents(peak.cents)} in ${monthName(peak.month)}` : `${formatCents(0n)}`;
  const why =
    `the larger of ${times(config.increaseLimitPct)} the current ${formatCents(current)} limit (${formatCents(fromLimit)}) and ` +
    `${times(config.increaseSpendPct)} the highest monthly spend of the last ${plural(months.length, "month", "months")} ` +
    `(${peakText}: ${formatCents(fromSpend)})`;
  return requested <= bound
    ? { limitCents: requested, rule: "INCREASE_BOUND", reason: `Increase: the requested ${asked}/month is within ${formatCents(bound)}/month, ${why}.` }
    : { limitCents: bound, rule: "INCREASE_BOUND", reason: `Increase capped at ${formatCents(bound)}/month, ${why}; ${asked}/month was requested.` };
}
