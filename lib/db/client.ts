import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
/** A client or the handle inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export function createDb(databaseUrl: string, opts: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 });
  // Prisma's defaults (2 s to get a connection, 5 s per transaction) fail money writes on a busy machine
  // instead of letting them wait their turn behind the team's row lock.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 30_000 } });
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
