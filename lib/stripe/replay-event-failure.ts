import type Stripe from "stripe";
import type { Db } from "../db/client";
import { BillingError } from "../billing/errors";
import { clearEventFailure } from "./event-failures";
import { processStripeEvent } from "./handle-webhook";
import { readStripeEvent } from "./read-stripe-event";

export type ReplayResult = { ok: true; outcome: string } | { ok: false; error: string };

/**
 * Applies a kept event again (its signature was checked when it arrived), for a platform admin once the cause is
 * fixed. Applied or already applied: resolved. Still failing: the failure stays, with the new error.
 */
export async function replayEventFailure({ db, stripe, id, userId }: { db: Db; stripe: Stripe; id: string; userId: string }): Promise<ReplayResult> {
  const failure = await db.stripeEventFailure.findUnique({ where: { id } });
  if (!failure) throw new BillingError("NOT_FOUND", "No such failed event.");
  if (failure.resolvedAt) return { ok: true, outcome: `already resolved (${failure.resolution ?? "resolved"})` };
  const rawBody = Buffer.from(failure.rawBody).toString("utf8");
  const read = readStripeEvent(rawBody);
  if (!read.ok) {
    await db.stripeEventFailure.update({ where: { id }, data: { error: read.error, lastFailedAt: new Date() } });
    return { ok: false, error: read.error };
  }
  const r = await processStripeEvent({ db, stripe, event: read.event, rawBody, replay: true });
  if (r.status >= 300) {
    const message = String((r.body.error as { message?: string } | undefined)?.message ?? "failed");
    await db.stripeEventFailure.update({ where: { id }, data: { error: message.slice(0, 2000), lastFailedAt: new Date() } });
    return { ok: false, error: message };
  }
  await clearEventFailure({ db, id, resolution: "replayed", userId });
  await db.stripeEventFailure.updateMany({ where: { id, resolvedByUserId: null }, data: { resolvedByUserId: userId } });
  await db.auditLog.create({
    data: {
      actorUserId: userId,
      action: "stripe_event.replayed",
      targetType: "stripe_event",
      targetId: id,
      data: { type: failure.type, outcome: String(r.body.outcome ?? "") },
    },
  });
  const outcome = r.body.duplicate ? "already applied" : String(r.body.outcome ?? "applied");
  return { ok: true, outcome };
}

/** Closes a kept failure without applying it (a malformed event that no fix will make readable). */
export async function dismissEventFailure({ db, id, userId }: { db: Db; id: string; userId: string }): Promise<void> {
  const done = await db.stripeEventFailure.updateMany({
    where: { id, resolvedAt: null },
    data: { resolvedAt: new Date(), resolution: "dismissed", resolvedByUserId: userId },
  });
  if (done.count === 0) throw new BillingError("NOT_FOUND", "No such unresolved failed event.");
  await db.auditLog.create({ data: { actorUserId: userId, action: "stripe_event.dismissed", targetType: "stripe_event", targetId: id } });
}
