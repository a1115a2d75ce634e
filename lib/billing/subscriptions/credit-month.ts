import type { BillingCycle } from "../../db/generated/enums";
import { addUtcMonths } from "../dates";

export type CreditMonth = { start: Date; end: Date; index: number };

/**
 * The stretch of a paid period that one grant of the plan's monthly credits covers at `at`. A monthly period is one
 * stretch. An annual period is twelve: month k runs from the period start plus k months to plus k + 1 (the last one
 * ends with the period), so an annual subscriber gets the monthly credits every month, each expiring at its month's
 * end, as a monthly subscriber does. `at` before the period counts as its first month, after it as its last.
 */
export function creditMonth({ periodStart, periodEnd, cycle, at }: { periodStart: Date; periodEnd: Date; cycle: BillingCycle; at: Date }): CreditMonth {
  if (cycle !== "ANNUAL") return { start: periodStart, end: periodEnd, index: 0 };
  let index = 0;
  while (index < 11 && addUtcMonths(periodStart, index + 1).getTime() <= at.getTime()) index++;
  const end = addUtcMonths(periodStart, index + 1);
  return { start: addUtcMonths(periodStart, index), end: end.getTime() < periodEnd.getTime() && index < 11 ? end : periodEnd, index };
}
