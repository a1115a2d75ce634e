import type { Db } from "../../db/client";
import type { Queue } from "../../jobs/queue";
import { deliverJobKey } from "./emit-event";
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from "./event-types";

/**
 * The minute sweep's delivery half: sends the attempt job of every PENDING delivery that is due, for deliveries made
 * where no queue ran (SQL such as budget alerts, scripts), jobs lost with a crashed worker, and attempts whose lease
 * ran out. The job key names the delivery and its attempt, and the queue keeps one live job per key (policy "stately"),
 * so a delivery whose job is already waiting or running gets no second one; the attempt's claim (deliver.ts) is the
 * last word either way.
 */
export async function sweepWebhookDeliveries({
  db,
  queue,
  now = new Date(),
  limit = 500,
}: {
  db: Db;
  queue: Queue;
  now?: Date;
  limit?: number;
}): Promise<{ due: number; sent: number }> {
  const due = await db.$queryRaw<{ id: string; auto_attempts: number }[]>`
    SELECT id, auto_attempts FROM webhook_deliveries WHERE status = 'PENDING' AND next_attempt_at <= ${now} ORDER BY next_attempt_at LIMIT ${limit}`;
  let sent = 0;
  for (const d of due) {
    const id = await queue.send<WebhookDeliverJob>(WEBHOOK_DELIVER_JOB, { deliveryId: d.id }, { singletonKey: deliverJobKey(d.id, d.auto_attempts + 1) });
    if (id) sent += 1;
  }
  return { due: due.length, sent };
}
