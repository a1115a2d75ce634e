import type { Tx } from "../../db/client";
import { BillingError } from "../errors";

/** Wrong coupon codes one team may try per window before it has to wait. */
export const COUPON_MISS_LIMIT = 5;
export const COUPON_MISS_WINDOW_MS = 15 * 60_000;

const key = (teamId: string) => `coupon-miss:${teamId}`;

/** RATE_LIMITED while the team has used up its wrong guesses for the current window. */
export async function assertCouponAttemptsLeft({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<void> {
  const bucket = await db.rateLimitBucket.findUnique({ where: { key: key(teamId) } });
  if (!bucket || bucket.count < COUPON_MISS_LIMIT) return;
  const resetsAt = bucket.windowStart.getTime() + COUPON_MISS_WINDOW_MS;
  if (resetsAt <= now.getTime()) return;
  const minutes = Math.max(1, Math.ceil((resetsAt - now.getTime()) / 60_000));
  throw new BillingError("RATE_LIMITED", `Too many codes that did not work. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
    field: "coupon",
    retryAfterSeconds: Math.ceil((resetsAt - now.getTime()) / 1000),
  });
}

/** Counts one wrong code for the team (a fresh window when the last one is over); atomic under concurrency. */
export async function recordCouponMiss({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<number> {
  const windowStartedBefore = new Date(now.getTime() - COUPON_MISS_WINDOW_MS);
  const rows = await db.$queryRaw<{ count: number }[]>`
    INSERT INTO rate_limit_buckets (key, count, window_start) VALUES (${key(teamId)}, 1, ${now})
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limit_buckets.window_start <= ${windowStartedBefore} THEN 1 ELSE rate_limit_buckets.count + 1 END,
      window_start = CASE WHEN rate_limit_buckets.window_start <= ${windowStartedBefore} THEN ${now} ELSE rate_limit_buckets.window_start END
    RETURNING count`;
  return rows[0]?.count ?? 1;
}
