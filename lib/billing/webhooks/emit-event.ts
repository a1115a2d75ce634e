import type { Tx } from "../../db/client";
import { processQueue, type Queue } from "../../jobs/queue";
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob, type WebhookEventType } from "./event-types";

/** A money figure in an event's `data`: a number of cents or credits, or a decimal string past 2^53 (as the API's money()). */
export function webhookMoney(v: bigint): number | string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** The queue key of a delivery's n-th automatic attempt: a second job for the same attempt is not created. */
export function deliverJobKey(deliveryId: string, autoAttempt: number): string {
  return `${deliveryId}:${autoAttempt}`;
}

/**
 * Records a billing event for the team's webhook endpoints, inside the transaction of the fact itself (so the event
 * exists exactly when the fact does). One query (cd_webhook_emit) and nothing more when no enabled endpoint of the team
 * subscribes to `type`. Once per (team, dedupeKey): a repeat of the fact does nothing. Each new delivery's first
 * attempt is sent to the job queue in the same transaction; where no queue runs in this process the deliveries wait,
 * PENDING, for the minute sweep (sweep-deliveries.ts). Returns the new deliveries' ids.
 */
export async function emitWebhookEvent(
  tx: Tx,
  {
    teamId,
    type,
    data,
    dedupeKey,
    now,
    queue = processQueue(),
  }: { teamId: string; type: WebhookEventType; data: Record<string, unknown>; dedupeKey: string; now?: Date; queue?: Queue | null },
): Promise<string[]> {
  const rows = await tx.$queryRaw<{ r_delivery_id: string }[]>`
    SELECT r_delivery_id FROM cd_webhook_emit(${teamId}, ${type}, ${JSON.stringify(data)}::jsonb, ${dedupeKey}, ${now ?? null}::timestamptz)`;
  const ids = rows.map((r) => r.r_delivery_id);
  if (queue) {
    for (const deliveryId of ids) {
      await queue.send<WebhookDeliverJob>(WEBHOOK_DELIVER_JOB, { deliveryId }, { singletonKey: deliverJobKey(deliveryId, 1) }, tx);
    }
  }
  return ids;
}
