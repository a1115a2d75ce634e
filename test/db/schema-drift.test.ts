import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPrismaSchema } from "../../lib/db/prisma-schema";
import { migrate, readMigrations } from "../../lib/db/migrate";
import { startQueue } from "../../lib/jobs/queue";
import { actualShape, diffShapes, expectedShape } from "../../lib/db/schema-diff";
import { createTestDatabase, type TestDatabase } from "../helpers/db";

describe("schema.prisma and the SQL migrations", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ empty: true });
    await migrate(t.url);
  });
  afterAll(() => t.close());

  it("an empty database migrated from scratch matches schema.prisma exactly", async () => {
    const diff = diffShapes(expectedShape(), await actualShape(t.url));
    expect(diff).toEqual([]);
  });

  it("looks only at the public schema: the job queue's own schema (pgboss, made by pg-boss on start) is not drift", async () => {
    const q = await startQueue({ connectionString: t.url, jobs: [], work: false, schedule: false });
    await q.stop();
    const [row] = await t.db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'pgboss'`);
    expect(row!.n).toBeGreaterThan(0);
    expect(diffShapes(expectedShape(), await actualShape(t.url))).toEqual([]);
  });

  it("reports a column added to schema.prisma without a migration", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "drift-"));
    const schema = readFileSync("prisma/schema.prisma", "utf8").replace(/model Team \{\n/, "model Team {\n  nickname String?\n");
    writeFileSync(path.join(dir, "schema.prisma"), schema);
    const diff = diffShapes(expectedShape(readPrismaSchema(path.join(dir, "schema.prisma"))), await actualShape(t.url));
    expect(diff).toEqual(["column teams.nickname is in schema.prisma but not in the database (text null)"]);
  });

  it("reports an index dropped from the database", async () => {
    const other = await createTestDatabase({ empty: true });
    try {
      await migrate(other.url);
      await other.db.$executeRawUnsafe(`DROP INDEX "ledger_entries_team_id_created_at_idx"`);
      const diff = diffShapes(expectedShape(), await actualShape(other.url));
      expect(diff).toEqual(["index missing from the database: ledger_entries index ledger_entries_team_id_created_at_idx (team_id,created_at)"]);
    } finally {
      await other.close();
    }
  });
});

describe("migration runner", () => {
  it("is idempotent, records Prisma-compatible rows, and refuses edited or broken files", async () => {
    const t = await createTestDatabase({ empty: true });
    const dir = mkdtempSync(path.join(os.tmpdir(), "migs-"));
    try {
      const { cpSync } = await import("node:fs");
      cpSync("prisma/migrations", dir, { recursive: true });
      expect((await migrate(t.url, { dir })).applied).toHaveLength(readMigrations(dir).length);
      expect((await migrate(t.url, { dir })).applied).toEqual([]);
      const rows = await t.db.$queryRawUnsafe<{ migration_name: string; checksum: string }[]>(`SELECT migration_name, checksum FROM "_prisma_migrations"`);
      expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);

      // A half-finished migration rolls back entirely and names its file.
      const bad = path.join(dir, "29990101000000_broken");
      (await import("node:fs")).mkdirSync(bad);
      writeFileSync(path.join(bad, "migration.sql"), `CREATE TABLE half_done (id int);\nSELECT no_such_function();`);
      await expect(migrate(t.url, { dir })).rejects.toThrow(/29990101000000_broken\/migration\.sql failed and was rolled back/);
      const tables = await t.db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM pg_tables WHERE tablename = 'half_done'`);
      expect(tables).toHaveLength(0);
      (await import("node:fs")).rmSync(bad, { recursive: true });

      // Editing an applied file is refused.
      const init = path.join(dir, rows[0]!.migration_name, "migration.sql");
      copyFileSync(init, `${init}.orig`);
      writeFileSync(init, readFileSync(init, "utf8") + "\n-- edited\n");
      await expect(migrate(t.url, { dir })).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await t.close();
    }
  });

  it("applies once when several processes migrate at the same time", async () => {
    const t = await createTestDatabase({ empty: true });
    try {
      const results = await Promise.all([migrate(t.url), migrate(t.url), migrate(t.url)]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, readMigrations().length]);
    } finally {
      await t.close();
    }
  });
});
