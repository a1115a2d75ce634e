import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDb, type Db } from "../../lib/db/client";

export type TestDatabase = { url: string; db: Db; close: () => Promise<void> };

/** A fresh, migrated database of its own (cloned from the template), on the run's real PostgreSQL. */
export async function createTestDatabase(opts: { empty?: boolean; max?: number } = {}): Promise<TestDatabase> {
  const server = inject("pgServerUrl");
  const name = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(opts.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE template_creditdesk`);
  await admin.end();
  const url = `${server}/${name}`;
  const db = createDb(url, { max: opts.max ?? 10 });
  return {
    url,
    db,
    close: async () => {
      await db.$disconnect();
      const a = new pg.Client({ connectionString: `${server}/postgres` });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
