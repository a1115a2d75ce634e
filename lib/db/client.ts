import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
/** A client or the handle inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

// On globalThis, as the client is: Next bundles this module more than once (instrumentation, each route), and the
// client made by one copy must find its pool from another (else the debit batch fell back to Prisma: ~0.1 ms per call).
const poolsHolder = globalThis as unknown as { creditdeskPools?: WeakMap<object, pg.Pool> };
const pools = (poolsHolder.creditdeskPools ??= new WeakMap<object, pg.Pool>());

export function createDb(databaseUrl: string, opts: { max?: number } = {}): PrismaClient {
  // The client's pool is ours, so the hottest statement can skip Prisma (sqlPool); $disconnect still ends it.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: opts.max ?? 10 });
  pool.on("error", () => {}); // an idle connection that failed is dropped; the next query opens another (as Prisma's own pool)
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // Prisma's defaults (2 s to get a connection, 5 s per transaction) fail money writes on a busy machine
  // instead of letting them wait their turn behind the team's row lock.
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 30_000 } });
  pools.set(client, pool);
  return client;
}

/**
 * The root client's own connection pool, or null for a transaction handle: for a statement run on every request
 * where Prisma's own cost per call (about 0.2 ms of CPU for a raw query) shows, as the debit batch's does.
 */
export function sqlPool(db: Tx | PrismaClient): pg.Pool | null {
  return pools.get(db) ?? null;
}

const globalForDb = globalThis as unknown as { creditdeskDb?: PrismaClient };

/** The process-wide client for the app; DATABASE_URL is set by the launcher (scripts/serve.ts). */
export function db(): PrismaClient {
  if (!globalForDb.creditdeskDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start the app with `npm start` or `npm run demo`, which provide one");
    globalForDb.creditdeskDb = createDb(url);
  }
  return globalForDb.creditdeskDb;
}
