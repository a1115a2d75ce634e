import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

// Bad configuration stops `npm start` with a message naming the problem, before anything changes.
function serve(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/serve.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}`, stderr: r.stderr.trim() };
}

const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;
async function busyPort(): Promise<net.Server & { port: number }> {
  const srv = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => srv.once("listening", r));
  return Object.assign(srv, { port: (srv.address() as net.AddressInfo).port });
}

describe("launcher refuses bad configuration", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  it("names a malformed DATABASE_URL", () => {
    const r = serve({ DATABASE_URL: "mysql://nope", PORT: "3999", AUTH_SECRET: "x".repeat(40) });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DATABASE_URL: must be a URL like postgresql:\/\//);
  });

  it("says when the database cannot be reached", () => {
    const r = serve({ DATABASE_URL: "postgresql://u:p@127.0.0.1:1/db", PORT: "3999", AUTH_SECRET: "x".repeat(40) });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/cannot reach the database in DATABASE_URL \(127\.0\.0\.1:1\)/);
  });

  it("says which port is in use", async () => {
    const srv = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const r = serve({ DATABASE_URL: t.url, PORT: String(port), AUTH_SECRET: "x".repeat(40) });
      expect(r.code).toBe(1);
      expect(r.out).toContain(`port ${port} is already in use`);
    } finally {
      srv.close();
    }
  });

  it("refuses demo mode with live Stripe keys", () => {
    const r = serve({ CREDITDESK_DEMO: "1", STRIPE_SECRET_KEY: "sk_live_abc", PORT: "3999" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/demo mode refuses to start with live Stripe keys/);
  });

  it("refuses to start over a half-finished migration, naming it", async () => {
    await t.db.$executeRawUnsafe(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('x', 'y', '20990101000000_half_done', now())`,
    );
    const r = serve({ DATABASE_URL: t.url, PORT: "3998", AUTH_SECRET: "x".repeat(40) });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/refusing to start: migration 20990101000000_half_done was started but never finished/);
  });
});

// Any start-up failure is one line saying what went wrong, never a stack trace, and a non-zero exit.
describe("a failed start-up is one line", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  it("when the port is in use", async () => {
    const srv = await busyPort();
    try {
      const r = serve({ PORT: String(srv.port), CREDITDESK_DATA_DIR: "/nonexistent/never-created", AUTH_SECRET: "x".repeat(40) });
      expect(r.code).toBe(1);
      expect(r.out.trim()).toBe(`[creditdesk] port ${srv.port} is already in use; choose another or stop what holds it (set PORT to use another)`);
    } finally {
      srv.close();
    }
  });

  it("when the environment is invalid, naming every bad variable", () => {
    const r = serve({ DATABASE_URL: "mysql://nope", PORT: "3997" });
    expect(r.code).toBe(1);
    expect(r.out.trim()).toBe(
      "[creditdesk] invalid environment: DATABASE_URL: must be a URL like postgresql://user:password@host:5432/database; AUTH_SECRET: is required outside demo mode",
    );
  });

  it("when the data folder cannot be created", () => {
    const r = serve({ PORT: "3997", CREDITDESK_DATA_DIR: "/etc/passwd/creditdesk", AUTH_SECRET: "x".repeat(40) });
    expect(r.code).toBe(1);
    expect(r.out.trim().split("\n")).toHaveLength(1);
    expect(r.out.trim()).toMatch(/^\[creditdesk\] cannot create the data folder \/etc\/passwd\/creditdesk: /);
  });

  it("when the embedded PostgreSQL cannot start", async () => {
    const srv = await busyPort();
    const dir = mkdtempSync(path.join(os.tmpdir(), "creditdesk-launch-"));
    try {
      const r = serve({ PORT: "3996", PG_PORT: String(srv.port), CREDITDESK_DATA_DIR: dir, AUTH_SECRET: "x".repeat(40) });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`[creditdesk] embedded PostgreSQL did not start: port ${srv.port} is already in use; choose another or stop what holds it`);
      expect(r.out).not.toMatch(stackTrace);
    } finally {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("when the Stripe emulator cannot start", async () => {
    const srv = await busyPort();
    try {
      const r = serve({ CREDITDESK_DEMO: "1", DATABASE_URL: t.url, PORT: "3995", STRIPE_EMULATOR_PORT: String(srv.port) });
      expect(r.code).toBe(1);
      expect(r.stderr.split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^\[creditdesk\] could not start: .*EADDRINUSE/);
      expect(r.out).not.toMatch(stackTrace);
    } finally {
      srv.close();
    }
  });
});

// As root the embedded PostgreSQL runs as the `postgres` user, who cannot enter a folder like a 0700 home folder.
// (The whole demo from a clone in such a folder: scripts/check-demo-fresh-clone.mjs, run by `npm test`.)
describe.runIf(process.getuid?.() === 0)("embedded PostgreSQL as root", () => {
  it("keeps its data for a folder the postgres user cannot reach, and starts", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "creditdesk-home-")); // mode 0700
    const dataDir = path.join(home, "creditdesk", ".data", "pg");
    mkdirSync(path.dirname(dataDir), { recursive: true });
    try {
      const server = await startEmbeddedPostgres({ dataDir, persistent: true });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      expect((await client.query("SELECT current_user AS u")).rows[0].u).toBe("postgres");
      await client.end();
      await server.stop();
      // The cluster lives where the postgres user can reach it; the data folder links to it.
      expect(lstatSync(dataDir).isSymbolicLink()).toBe(true);
      const outside = readlinkSync(dataDir);
      expect(existsSync(path.join(outside, "PG_VERSION"))).toBe(true);

      // A second start finds the same cluster; deleting the data folder starts over.
      const again = await startEmbeddedPostgres({ dataDir });
      await again.stop();
      expect(readlinkSync(dataDir)).toBe(outside);
      rmSync(path.dirname(dataDir), { recursive: true });
      mkdirSync(path.dirname(dataDir));
      const fresh = await startEmbeddedPostgres({ dataDir, persistent: false });
      await fresh.stop();
      expect(existsSync(outside)).toBe(false);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});
