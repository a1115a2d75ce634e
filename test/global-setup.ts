import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { migrate } from "../lib/db/migrate";

// One real PostgreSQL per test run; each test file clones a migrated template database.
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-test-"));
  chmodSync(dir, 0o755); // initdb runs as the postgres user when we are root
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: false, database: "template_creditdesk" });
  await migrate(server.url);
  const admin = new pg.Client({ connectionString: server.url.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  await admin.query("ALTER DATABASE template_creditdesk WITH is_template true");
  await admin.end();
  project.provide("pgServerUrl", server.url.replace(/\/[^/]+$/, ""));
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}
