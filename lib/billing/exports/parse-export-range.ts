import { BillingError } from "../errors";

const DAY = 86_400_000;
/** Longest range one export may cover; the export streams, so this bounds time, not memory. */
export const MAX_EXPORT_DAYS = 5 * 366;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(raw: unknown, field: string): Date {
  const m = typeof raw === "string" ? DATE.exec(raw.trim()) : null;
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== raw!.toString().trim()) {
    throw new BillingError("VALIDATION_FAILED", `${field} must be a date like 2026-04-01.`, { field });
  }
  if (d.getUTCFullYear() < 2000) throw new BillingError("VALIDATION_FAILED", `${field} must be in 2000 or later.`, { field });
  return d;
}

/** An inclusive range of UTC days ("2026-04-01" to "2026-04-30") as the half-open [from, toExclusive) the queries use. */
export function parseExportRange({ from, to, now = new Date() }: { from: unknown; to: unknown; now?: Date }): {
  from: Date;
  toExclusive: Date;
  fromDay: string;
  toDay: string;
} {
  const start = parseDay(from, "from");
  const end = parseDay(to, "to");
  if (end < start) throw new BillingError("VALIDATION_FAILED", "to must be on or after from.", { field: "to" });
  const days = (end.getTime() - start.getTime()) / DAY + 1;
  if (days > MAX_EXPORT_DAYS)
    throw new BillingError("VALIDATION_FAILED", `An export may cover at most ${MAX_EXPORT_DAYS} days; split it into smaller ranges.`, { field: "to" });
  if (start.getTime() > now.getTime() + DAY) throw new BillingError("VALIDATION_FAILED", "from must not be in the future.", { field: "from" });
  return { from: start, toExclusive: new Date(end.getTime() + DAY), fromDay: start.toISOString().slice(0, 10), toDay: end.toISOString().slice(0, 10) };
}
