import type { Db } from "../../db/client";
import { processQueue } from "../../jobs/queue";
import { BillingError } from "../errors";
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from "./event-types";

/**
 * "Resend" on the settings page: one more attempt of a delivery now, whatever its status, recorded as manual. The
 * delivery must belong to an endpoint of `teamId` (another team's id is NOT_FOUND, as an unknown one). The attempt
 * runs on the job queue (lib/billing/webhooks/deliver.ts); the event keeps its id, so a receiver that already has it
 * can tell the repeat.
 */
export async function resendDelivery({ db, teamId, deliveryId }: { db: Db; teamId: string; deliveryId: string }): Promise<void> {
  const found = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpoint: { teamId } }, select: { id: true } });
  if (!found) throw new BillingError("NOT_FOUND", "No such delivery for this team.");
  const queue = processQueue();
  if (!queue) throw new BillingError("SERVICE_UNAVAILABLE", "The job queue is not running in this instance; try again shortly.");
  // The queue keeps one waiting job per key (policy "stately"): a double click is one attempt, and a keyless job would
  // hold up every other Resend.
  await queue.send<WebhookDeliverJob>(WEBHOOK_DELIVER_JOB, { deliveryId, manual: true }, { singletonKey: `${deliveryId}:manual` });
}
