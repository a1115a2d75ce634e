import type { ApiKeyLimitPeriod } from "../../db/generated/enums";
import { startOfNextUtcMonth, startOfUtcDay, startOfUtcMonth } from "../dates";

export const API_KEY_LIMIT_PERIODS = ["DAY", "WEEK", "MONTH"] as const satisfies readonly ApiKeyLimitPeriod[];

const DAY_MS = 86_400_000;

/** The UTC period holding `at`: a day, an ISO week (from Monday 00:00) or a month; the same as cd_api_key_period_start. */
export function apiKeyLimitPeriod(period: ApiKeyLimitPeriod, at: Date): { start: Date; end: Date } {
  if (period === "MONTH") return { start: startOfUtcMonth(at), end: startOfNextUtcMonth(at) };
  const day = startOfUtcDay(at);
  if (period === "DAY") return { start: day, end: new Date(day.getTime() + DAY_MS) };
  const start = new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  return { start, end: new Date(start.getTime() + 7 * DAY_MS) };
}
