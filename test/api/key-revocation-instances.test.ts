import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeApiKey } from "../../lib/billing/api-keys/revoke-api-key";
import { billingConfig } from "../../lib/billing/config";
import { makeTeam } from "../billing/factories";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { call, makeKey } from "./helpers";

// Issue 13: "revocation takes effect within one second on every instance, even where keys are cached for speed".
// Two app instances, each a process with its own key cache (test/helpers/route-server.ts), against one database: a
// key both have just accepted (and so cached) is revoked, and each must refuse it within a second, and keep refusing.

const root = join(import.meta.dirname, "../..");
type Instance = { port: number; child: ChildProcess };

function startInstance(databaseUrl: string): Promise<Instance> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" };
  delete env.API_KEY_CACHE_MS; // the default, as an installation runs
  const child = spawn(join(root, "node_modules/.bin/tsx"), ["--conditions=react-server", "test/helpers/route-server.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.once("exit", (code) => reject(new Error(`instance exited with ${code}: ${out}`)));
  });
}

const ask = async (port: number, secret: string, body?: object): Promise<number> =>
  (
    await fetch(`http://127.0.0.1:${port}${body ? "/api/v1/usage" : "/api/v1/keys/current"}`, {
      method: body ? "POST" : "GET",
      headers: { authorization: `Bearer ${secret}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
  ).status;

describe("a revoked key on two instances with their own key caches", () => {
  let t: TestDatabase;
  let instances: Instance[] = [];
  beforeAll(async () => {
    t = await createTestDatabase();
    instances = await Promise.all([startInstance(t.url), startInstance(t.url)]);
  }, 120_000);
  afterAll(async () => {
    for (const i of instances) i.child.kill("SIGTERM");
    await t?.close();
  });

  it("is refused by both within one second, and stays refused; another key of the team still works", async () => {
    expect(billingConfig().apiKeyCacheMs).toBeLessThanOrEqual(1000);
    const team = await makeTeam(t.db, { credits: 1_000_000n });
    const key = await makeKey(t.db, team.teamId, team.userId);
    const other = await makeKey(t.db, team.teamId, team.userId);
    // Both instances accept the key (and remember it), with a read and a debit.
    for (const [n, i] of instances.entries()) {
      expect(await ask(i.port, key.secret)).toBe(200);
      expect(await ask(i.port, key.secret, { idempotency_key: `before-${n}`, operation: "add", quantity: 1 })).toBe(200);
    }

    // Just read again, so each instance holds a fresh copy of the key when it is revoked.
    expect(await Promise.all(instances.map((i) => ask(i.port, key.secret)))).toEqual([200, 200]);

    // Revoked by a third party (the dashboard's instance); then both are asked every 20 ms.
    await revokeApiKey({ db: t.db, teamId: team.teamId, apiKeyId: key.id, actorUserId: team.userId });
    const revokedAt = Date.now();
    const refusedAfter = await Promise.all(
      instances.map(async (i, n) => {
        for (let attempt = 0; ; attempt++) {
          const status = await ask(i.port, key.secret, { idempotency_key: `after-${n}-${attempt}`, operation: "add", quantity: 1 });
          if (status === 401) return Date.now() - revokedAt;
          expect(status).toBe(200);
          if (Date.now() - revokedAt > 3000) return Number.POSITIVE_INFINITY;
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    for (const ms of refusedAfter) expect(ms).toBeLessThan(1000);

    // Refused from then on, for reads and usage alike, on both; nothing more was charged through it.
    const entries = await t.db.ledgerEntry.count({ where: { teamId: team.teamId, apiKeyId: key.id } });
    for (const i of instances) {
      expect(await ask(i.port, key.secret)).toBe(401);
      expect(await ask(i.port, key.secret, { idempotency_key: "late", operation: "add", quantity: 1 })).toBe(401);
      expect(await ask(i.port, other.secret)).toBe(200);
    }
    expect(await t.db.ledgerEntry.count({ where: { teamId: team.teamId, apiKeyId: key.id } })).toBe(entries);
  });
});

describe("a key revoked on the instance that answers", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    process.env.DATABASE_URL = t.url; // the route handlers' db() reads it on first use
  });
  afterAll(() => t?.close());

  it("is refused by the very next request, though the instance had just accepted it", async () => {
    const { GET } = await import("../../app/api/v1/keys/current/route");
    const team = await makeTeam(t.db, { credits: 1_000n });
    const key = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const r = await call(GET, { key: key.secret });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ id: key.id, name: "read_only key", role: "READ_ONLY", team_id: team.teamId, test: false });
    await revokeApiKey({ db: t.db, teamId: team.teamId, apiKeyId: key.id, actorUserId: team.userId });
    const refused = await call(GET, { key: key.secret });
    expect(refused.status).toBe(401);
    expect(refused.json.error.message).toMatch(/revoked/);
  });
});
