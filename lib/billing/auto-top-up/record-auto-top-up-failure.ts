import type { Tx } from "../../db/client";

/** Failures in a row after which auto top-up turns itself off even for errors that may pass (Stripe unreachable). */
export const AUTO_TOP_UP_MAX_TRANSIENT_FAILURES = 3;

/**
 * An auto top-up charge did not go through: frees the in-flight slot, counts the failure and, for a card problem (or
 * too many failures in a row), turns auto top-up off with the reason and tells the team's owners (a notification
 * each). Audit-logged. In the caller's transaction.
 */
export async function recordAutoTopUpFailure({
  db,
  teamId,
  paymentId,
  reason,
  transient = false,
}: {
  db: Tx;
  teamId: string;
  paymentId: string | null;
  reason: string;
  /** A failure that may pass by itself (Stripe unreachable): auto top-up stays on until it repeats. */
  transient?: boolean;
}): Promise<{ disabled: boolean; notified: number }> {
  const rows = await db.$queryRaw<{ failure_count: number; enabled: boolean }[]>`
    UPDATE auto_top_ups
       SET failure_count = failure_count + 1,
           in_flight_payment_id = CASE WHEN in_flight_payment_id = ${paymentId} THEN NULL ELSE in_flight_payment_id END,
           updated_at = now()
     WHERE team_id = ${teamId}
     RETURNING failure_count, enabled`;
  const row = rows[0];
  if (!row) return { disabled: false, notified: 0 };
  const disable = row.enabled && (!transient || row.failure_count >= AUTO_TOP_UP_MAX_TRANSIENT_FAILURES);
  if (!disable) return { disabled: false, notified: 0 };
  const why = reason.slice(0, 300);
  await db.autoTopUp.update({ where: { teamId }, data: { enabled: false, disabledReason: why } });
  const owners = await db.membership.findMany({ where: { teamId, role: "OWNER" }, select: { userId: true, user: { select: { email: true } } } });
  if (owners.length > 0) {
    await db.notification.createMany({
      data: owners.map((o) => ({
        teamId,
        userId: o.userId,
        kind: "auto_top_up_failed",
        title: "Auto top-up is off",
        body: `An automatic top-up could not be charged, so auto top-up was turned off: ${why} Check the saved card and turn it back on in Buy Credit.`,
        email: o.user.email,
      })),
    });
  }
  await db.auditLog.create({
    data: {
      teamId,
      action: "auto_top_up.disabled",
      targetType: "auto_top_up",
      targetId: teamId,
      data: { reason: why, paymentId, failures: row.failure_count, before: { enabled: true }, after: { enabled: false } },
    },
  });
  return { disabled: true, notified: owners.length };
}
