// Calendar boundaries in UTC, the one clock billing periods, budgets and usage days are counted in.

/** Midnight UTC at the start of the day `d` falls in. */
export const startOfUtcDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** Midnight UTC on the first of the month `d` falls in. */
export const startOfUtcMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

/** Midnight UTC on the first of the month after the one `d` falls in. */
export const startOfNextUtcMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));

/** `d` moved by `months` calendar months in UTC, the day clamped to the month's length (Jan 31 + 1 → Feb 28/29), as Stripe bills. */
export function addUtcMonths(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
}
