// Calendar boundaries in UTC, the one clock billing periods, budgets and usage days are counted in.

/** Midnight UTC at the start of the day `d` falls in. */
export const startOfUtcDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** Midnight UTC on the first of the month `d` falls in. */
export const startOfUtcMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));

/** Midnight UTC on the first of the month after the one `d` falls in. */
export const startOfNextUtcMonth = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
