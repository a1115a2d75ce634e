// Runs once when a server instance starts: joins the job queue (pg-boss, in the app's PostgreSQL) that every instance
// works, with the app's background jobs (lib/jobs/app-jobs.ts). Scheduled jobs fire once per tick for all instances
// together; each job is also safe to run twice (the queue delivers at least once).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || !process.env.DATABASE_URL) return;
  // `next build` may load this file to prerender pages: a build never works the queue.
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startProcessQueue } = await import("./lib/jobs/start-process-queue");
  await startProcessQueue(process.env.DATABASE_URL);
}
