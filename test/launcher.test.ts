import { spawnSync } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

// Bad configuration stops `npm start` with a message naming the problem, before anything changes.
function serve(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/serve.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
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
