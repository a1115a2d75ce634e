import type { Db, Tx } from "../../db/client";
import { BillingError } from "../errors";

/** Wrong coupon codes one team may try per window before it has to wait. */
export const COUPON_MISS_LIMIT = 5;
export const COUPON_MISS_WINDOW_MS = 15 * 60_000;

const key = (teamId: string) => `coupon-miss:${teamId}`;

/** True for a COUPON_INVALID that means "no usable code by that name", the kind of answer a guesser learns from. */
export const isWrongCode = (e: unknown): boolean => e instanceof BillingError && e.code === "COUPON_INVALID" && e.details?.wrongCode === true;

/**
 * Looks a code up under the team's wrong-code limit: the attempt is counted first, in one statement that also starts a
 * fresh window when the last one is over, and only then decided. Over the limit: RATE_LIMITED (retryAfterSeconds until
 * the window resets) and the code is never looked at. Within it: `check` runs in the same transaction, so the counted
 * row stays locked and one team's code checks are decided one at a time, whatever arrives at once. A wrong code
 * (isWrongCode) keeps its count and undoes whatever `check` wrote; any other outcome gives the attempt back.
 */
export async function withCouponAttempt<T>(
  { db, teamId, now = new Date() }: { db: Db; teamId: string; now?: Date },
  check: (tx: Tx) => Promise<T>,
): Promise<T> {
  const windowStartedBefore = new Date(now.getTime() - COUPON_MISS_WINDOW_MS);
  let wrong: unknown = null;
  const result = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ count: number; window_start: Date }[]>`
      INSERT INTO rate_limit_buckets (key, count, window_start) VALUES (${key(teamId)}, 1, ${now})
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limit_buckets.window_start <= ${windowStartedBefore} THEN 1 ELSE rate_limit_buckets.count + 1 END,
        window_start = CASE WHEN rate_limit_buckets.window_start <= ${windowStartedBefore} THEN ${now} ELSE rate_limit_buckets.window_start END
      RETURNING count, window_start`;
    if (!row) throw new Error("rate_limit_buckets: the upsert returned no row");
    if (row.count > COUPON_MISS_LIMIT) {
      // A request that waited on the row lock holds a `now` older than the window another one just opened: never more than a window.
      const left = new Date(row.window_start).getTime() + COUPON_MISS_WINDOW_MS - now.getTime();
      const seconds = Math.min(COUPON_MISS_WINDOW_MS / 1000, Math.max(1, Math.ceil(left / 1000)));
      const minutes = Math.ceil(seconds / 60);
      // Thrown inside: the rollback takes the refused attempt's count back with it.
      throw new BillingError("RATE_LIMITED", `Too many codes that did not work. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
        field: "coupon",
        retryAfterSeconds: seconds,
      });
    }
    await tx.$executeRaw`SAVEPOINT coupon_check`;
    try {
      const value = await check(tx);
      await tx.$executeRaw`UPDATE rate_limit_buckets SET count = GREATEST(count - 1, 0) WHERE key = ${key(teamId)}`;
      return { value };
    } catch (e) {
      if (!isWrongCode(e)) throw e;
      // Commit the miss, not what the check wrote.
      await tx.$executeRaw`ROLLBACK TO SAVEPOINT coupon_check`;
      wrong = e;
      return null;
    }
  });
  if (!result) throw wrong;
  return result.value;
}
