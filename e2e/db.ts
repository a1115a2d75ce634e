import { readFileSync } from "node:fs";
import path from "node:path";
import { createDb, type Db } from "../lib/db/client";
import { e2eDataDir } from "../playwright.config";

let client: Db | undefined;

/**
 * The e2e server's own database (the launcher's embedded PostgreSQL in e2eDataDir), for setting up state through the
 * billing core where the app has no page for it yet (a plan, an API key). Its port is in postmaster.pid (line 4).
 */
export function e2eDb(): Db {
  client ??= createDb(e2eDatabaseUrl(), { max: 3 });
  return client;
}

/** The URL of the e2e server's database (a second app instance joins it in e2e/scale-out.spec.ts). */
export function e2eDatabaseUrl(): string {
  const pid = readFileSync(path.resolve(e2eDataDir, "pg/postmaster.pid"), "utf8").split("\n");
  const port = Number(pid[3]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`the e2e database is not running (no port in ${e2eDataDir}/pg/postmaster.pid)`);
  return `postgres://postgres:postgres@127.0.0.1:${port}/creditdesk`;
}

export async function teamId(slug: string): Promise<string> {
  return (await e2eDb().team.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id;
}
