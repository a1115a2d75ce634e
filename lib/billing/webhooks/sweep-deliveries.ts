import type { Db } from "../../db/client";
import type { Queue } from "../../jobs/queue";
import { deliverJobKey } from "./emit-event";
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from "./event-types";

/**
 * The minute sweep's delivery half: sends the attempt job of every PENDING delivery that is due, for deliveries made
 * where no queue ran (SQL such as budget alerts, scripts), jobs lost with a crashed worker, and attempts whose lease
 * ran out. A delivery whose attempt job is still waiting or running (pg-boss's own job table, found through the index of
 * its "stately" policy) is left alone, and the queue refuses a second waiting job with the same key (delivery and
 * attempt), so two sweeps at once cannot double it either; the attempt's claim (deliver.ts) is the last word anyway.
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
    SELECT d.id, d.auto_attempts FROM webhook_deliveries d
     WHERE d.status = 'PENDING' AND d.next_attempt_at <= ${now}
       AND NOT EXISTS (
         SELECT 1 FROM pgboss.job j
          WHERE j.name = ${WEBHOOK_DELIVER_JOB} AND j.state <= 'active' AND j.policy = 'stately'
            AND COALESCE(j.singleton_key, '') = d.id || ':' || (d.auto_attempts + 1))
     ORDER BY d.next_attempt_at LIMIT ${limit}`;
  let sent = 0;
  for (const d of due) {
    const id = await queue.send<WebhookDeliverJob>(WEBHOOK_DELIVER_JOB, { deliveryId: d.id }, { singletonKey: deliverJobKey(d.id, d.auto_attempts + 1) });
    if (id) sent += 1;
  }
  return { due: due.length, sent };
}
