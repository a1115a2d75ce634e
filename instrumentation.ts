// Runs once when a server instance starts: joins the job queue (pg-boss, in the app's PostgreSQL) that every instance
// works, with the app's background jobs (lib/jobs/app-jobs.ts). Scheduled jobs fire once per tick for all instances
// together; each job is also safe to run twice (the queue delivers at least once).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  const [{ db }, { stripeSettings, createStripeClient }, { stripeGateway }, { appJobs }, { processQueue, setProcessQueue, startQueue }] = await Promise.all([
    import("./lib/db/client"),
    import("./lib/stripe/client"),
    import("./lib/stripe/gateway"),
    import("./lib/jobs/app-jobs"),
    import("./lib/jobs/queue"),
  ]);
  if (processQueue()) return;
  const settings = stripeSettings();
  // A client of its own, not the process's stripeClient(): this file is bundled apart from the routes, with its own
  // copy of the SDK, and a client cached from here would throw errors the routes' `instanceof` checks do not know.
  const gateway = settings ? stripeGateway(createStripeClient(settings)) : null;
  let email = null;
  if (process.env.EMAIL_SERVER) {
    const { default: nodemailer } = await import("nodemailer");
    email = { transport: nodemailer.createTransport(process.env.EMAIL_SERVER), from: process.env.EMAIL_FROM || "Creditdesk <billing@localhost>" };
  }
  try {
    const queue = await startQueue({ connectionString: process.env.DATABASE_URL, jobs: appJobs({ db: db(), gateway, email }) });
    setProcessQueue(queue);
    // Best effort: Next.js exits once its own server has closed; a job cut short is retried or rerun by the next tick.
    const stop = () => void queue.stop().catch((e: unknown) => console.error("[creditdesk] stopping the job queue:", e));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  } catch (e) {
    console.error("[creditdesk] the job queue did not start; background jobs and webhooks wait for an instance that has it:", e);
  }
}
