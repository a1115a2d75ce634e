import os from "node:os";
import PgBoss from "pg-boss";
import type { Tx } from "../db/client";

// The one job queue every app instance works: pg-boss, on the app's own PostgreSQL (schema "pgboss", created and
// migrated by pg-boss on start). A job is claimed with SELECT … FOR UPDATE SKIP LOCKED, so each is run by one
// instance at a time; a cron schedule fires once per minute across all instances (pg-boss keeps the clock in the
// database). pg-boss 10 because it runs on Node 20 (11 and later need Node 22) and is plain SQL on `pg`, which the
// app already uses; graphile-worker needs Node 22 as well.

export type JobContext = { id: string; retryCount: number };
export type JobDefinition<T extends object = object> = {
  name: string;
  /** Runs one job. Throwing fails the attempt; pg-boss retries per `options` (at least once delivery: be idempotent). */
  run: (data: T, job: JobContext) => Promise<void>;
  options?: Omit<PgBoss.Queue, "name">;
  /** A cron line (UTC, minute granularity): pg-boss sends one job per tick for all instances together. */
  cron?: string;
  /** How many jobs of this kind one instance runs at once (default 1). */
  concurrency?: number;
  /** How often an idle worker looks for new jobs, in seconds (default 2; pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
};

export type Queue = {
  boss: PgBoss;
  /** Sends a job now (or with `options.startAfter`); with `tx`, as part of that transaction: it exists only if it commits. */
  send: <T extends object>(name: string, data: T, options?: PgBoss.SendOptions, tx?: Tx) => Promise<string | null>;
  stop: () => Promise<void>;
};

/** Lets pg-boss write its job rows through a Prisma transaction. */
export function txExecutor(tx: Tx): PgBoss.Db {
  return {
    executeSql: async (text, values) => ({ rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values) }),
  };
}

/**
 * Starts pg-boss on `connectionString`, creates each job's queue and schedule, and (with `work`, the default) works
 * them in this process. Tests start it with `work: false` to send only, or with short polling to run jobs quickly.
 */
export async function startQueue({
  connectionString,
  jobs,
  work = true,
  schedule = true,
  onError = (e: unknown) => console.error("[creditdesk] job queue:", e),
}: {
  connectionString: string;
  jobs: readonly JobDefinition<never>[];
  work?: boolean;
  schedule?: boolean;
  onError?: (e: unknown) => void;
}): Promise<Queue> {
  // Cron is checked every 10 s (pg-boss's default is 30) so a tick's job starts within seconds of the minute; the check
  // is one conditional UPDATE, and only one instance in each 10 s wins it. Host and pid in application_name tell
  // instances' connections apart in pg_stat_activity.
  const boss = new PgBoss({
    connectionString,
    schema: "pgboss",
    max: 4,
    application_name: `creditdesk-jobs:${os.hostname()}:${process.pid}`.slice(0, 63),
    schedule,
    cronMonitorIntervalSeconds: 10,
    cronWorkerIntervalSeconds: 2,
  });
  boss.on("error", onError);
  await boss.start();
  for (const job of jobs) {
    // createQueue leaves a queue that exists as it was; updateQueue then sets the options this code gives, so a release
    // that changes a job's retries, expiry or policy changes them in a database an older release created too.
    await boss.createQueue(job.name, { name: job.name, ...job.options });
    if (job.options) await boss.updateQueue(job.name, { name: job.name, ...job.options });
    if (schedule && job.cron) await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
    if (work) {
      const workers = Math.max(1, job.concurrency ?? 1);
      for (let i = 0; i < workers; i++) {
        await boss.work<object>(job.name, { batchSize: 1, pollingIntervalSeconds: job.pollingIntervalSeconds ?? 2 }, async ([j]) => {
          if (j) await (job.run as JobDefinition<object>["run"])(j.data, { id: j.id, retryCount: (j as { retryCount?: number }).retryCount ?? 0 });
        });
      }
    }
  }
  return {
    boss,
    send: (name, data, options = {}, tx) => boss.send(name, data, tx ? { ...options, db: txExecutor(tx) } : options),
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}

const globalForQueue = globalThis as unknown as { creditdeskQueue?: Queue };

/** The process's queue, once instrumentation.ts started it (null before, and in processes that never start one). */
export function processQueue(): Queue | null {
  return globalForQueue.creditdeskQueue ?? null;
}

export function setProcessQueue(q: Queue | null): void {
  globalForQueue.creditdeskQueue = q ?? undefined;
}
