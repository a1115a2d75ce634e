import { type Db, db as processDb } from "../../db/client";
import { type JobDefinition, processQueue, type Queue } from "../../jobs/queue";
import { deliverWebhook } from "./deliver";
import { emitCreditsExpiring } from "./emit-credits-expiring";
import { WEBHOOK_DELIVER_JOB, type WebhookDeliverJob } from "./event-types";
import { sweepWebhookDeliveries } from "./sweep-deliveries";
import { watchLowBalances } from "./watch-low-balances";
import { type WebhookSettings, webhookSettings } from "./webhook-settings";

export const WEBHOOK_SWEEP_JOB = "webhook-sweep";
export const WEBHOOK_CREDITS_EXPIRING_JOB = "webhook-credits-expiring";

/**
 * The outgoing webhooks' jobs, for the one job queue (lib/jobs/queue.ts): `webhook-deliver` (one attempt of one
 * delivery; the queue keeps one live job per delivery and attempt: policy "stately" with the key from deliverJobKey),
 * the minute sweep (due deliveries without a job, and balance_low) and the daily credits_expiring scan.
 * Tests build them on their own database and queue; the app registers `webhookJobs`.
 */
export function webhookJobDefinitions({
  db,
  queue,
  settings = webhookSettings,
}: {
  db: () => Db;
  queue: () => Queue | null;
  settings?: () => WebhookSettings;
}): JobDefinition<never>[] {
  const deliver: JobDefinition<WebhookDeliverJob> = {
    name: WEBHOOK_DELIVER_JOB,
    // A thrown attempt (the database was unreachable) is retried by the queue; an HTTP failure is not thrown: the
    // delivery's own schedule sends its next attempt.
    options: { policy: "stately", retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
    // Four attempts at once per instance (a slow receiver holds one for up to the timeout); each idle worker polls every 2 s.
    concurrency: 4,
    pollingIntervalSeconds: 2,
    run: async ({ deliveryId, manual }) => {
      await deliverWebhook({ db: db(), deliveryId, manual: manual === true, settings: settings(), queue: queue() });
    },
  };
  const sweep: JobDefinition = {
    name: WEBHOOK_SWEEP_JOB,
    cron: "* * * * *",
    options: { retryLimit: 0, expireInSeconds: 5 * 60 },
    run: async () => {
      const q = queue();
      if (q) await sweepWebhookDeliveries({ db: db(), queue: q });
      await watchLowBalances({ db: db() });
    },
  };
  const expiring: JobDefinition = {
    name: WEBHOOK_CREDITS_EXPIRING_JOB,
    cron: "7 0 * * *",
    options: { retryLimit: 2, retryDelay: 300, expireInSeconds: 30 * 60 },
    run: async () => {
      for (let page = 0; page < 50; page++) if ((await emitCreditsExpiring({ db: db(), limit: 1000 })).emitted < 1000) break;
    },
  };
  return [deliver, sweep, expiring] as JobDefinition<never>[];
}

/** The app's webhook jobs: the process's database and queue, settings from the environment. */
export const webhookJobs: JobDefinition<never>[] = webhookJobDefinitions({ db: processDb, queue: processQueue });
