import type { Db } from "../db/client";
import type { StripeEventFailure } from "../db/generated/client";
import { storableText } from "../billing/ids";

/** Deliveries answered 5xx before a failing event is parked (answered 2xx, kept for an admin to replay). */
export const MAX_EVENT_ATTEMPTS = 8;

/**
 * Counts a failed delivery of a signed event, in its own statement (outside the rolled-back transaction of its
 * effects). Permanent failures and those out of attempts are parked: answered 2xx so Stripe stops retrying.
 */
export async function recordEventFailure({
  db,
  id,
  type,
  rawBody,
  error,
  permanent,
}: {
  db: Db;
  id: string;
  type: string | null;
  rawBody: string;
  error: string;
  permanent: boolean;
}): Promise<StripeEventFailure> {
  const message = storableText(error).slice(0, 2000);
  const body = Buffer.from(rawBody, "utf8");
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO stripe_event_failures (id, type, raw_body, error, permanent, attempts, parked_at)
    VALUES (${id}, ${type}, ${body}, ${message}, ${permanent}, 1, CASE WHEN ${permanent} OR 1 >= ${MAX_EVENT_ATTEMPTS} THEN now() END)
    ON CONFLICT (id) DO UPDATE SET
      attempts = stripe_event_failures.attempts + 1,
      error = EXCLUDED.error,
      type = COALESCE(EXCLUDED.type, stripe_event_failures.type),
      permanent = EXCLUDED.permanent,
      last_failed_at = now(),
      resolved_at = NULL,
      resolved_by_user_id = NULL,
      resolution = NULL,
      parked_at = COALESCE(stripe_event_failures.parked_at,
        CASE WHEN EXCLUDED.permanent OR stripe_event_failures.attempts + 1 >= ${MAX_EVENT_ATTEMPTS} THEN now() END)
    RETURNING id`;
  return db.stripeEventFailure.findUniqueOrThrow({ where: { id: rows[0]!.id } });
}

/** Marks a kept failure resolved once its event has been applied. */
export async function clearEventFailure({
  db,
  id,
  resolution,
  userId = null,
}: {
  db: Db;
  id: string;
  resolution: string;
  userId?: string | null;
}): Promise<void> {
  await db.stripeEventFailure.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: new Date(), resolution, resolvedByUserId: userId } });
}

export type EventFailureRow = Omit<StripeEventFailure, "rawBody"> & { bodyBytes: number };

/** Failed events for the admin console: unresolved first, newest first. */
export async function listEventFailures({
  db,
  includeResolved = false,
  limit = 100,
}: {
  db: Db;
  includeResolved?: boolean;
  limit?: number;
}): Promise<EventFailureRow[]> {
  const rows = await db.stripeEventFailure.findMany({
    where: includeResolved ? {} : { resolvedAt: null },
    orderBy: [{ lastFailedAt: "desc" }],
    take: Math.min(Math.max(limit, 1), 500),
  });
  return rows.map(({ rawBody, ...rest }) => ({ ...rest, bodyBytes: rawBody.length }));
}

/** How many kept failures wait for an admin. */
export async function countOpenEventFailures({ db }: { db: Db }): Promise<number> {
  return db.stripeEventFailure.count({ where: { resolvedAt: null } });
}
