import { db } from "../db/client";
import { createStripeClient, stripeSettings } from "../stripe/client";
import { stripeGateway } from "../stripe/gateway";
import { appJobs } from "./app-jobs";
import { processQueue, setProcessQueue, startQueue } from "./queue";

/**
 * Joins this process to the job queue every instance works, with the app's jobs (once per process; instrumentation.ts
 * calls it at start). A queue that cannot start is logged, not fatal: pages and the API still serve, and the jobs run
 * in the instances that have it.
 */
export async function startProcessQueue(connectionString: string): Promise<void> {
  if (processQueue()) return;
  const settings = stripeSettings();
  // A client of its own, not the process's stripeClient(): instrumentation is bundled apart from the routes, with its
  // own copy of the SDK, and a client cached from here would throw errors the routes' `instanceof` checks do not know.
  const gateway = settings ? stripeGateway(createStripeClient(settings)) : null;
  let email = null;
  if (process.env.EMAIL_SERVER) {
    const { default: nodemailer } = await import("nodemailer");
    email = { transport: nodemailer.createTransport(process.env.EMAIL_SERVER), from: process.env.EMAIL_FROM || "Creditdesk <billing@localhost>" };
  }
  try {
    const queue = await startQueue({ connectionString, jobs: appJobs({ db: db(), gateway, email }) });
    setProcessQueue(queue);
    // Best effort: Next.js exits once its own server has closed; a job cut short is rerun by the next tick.
    const stop = () => void queue.stop().catch((e: unknown) => console.error("[creditdesk] stopping the job queue:", e));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  } catch (e) {
    console.error("[creditdesk] the job queue did not start; background jobs run in instances that have it:", e);
  }
}
