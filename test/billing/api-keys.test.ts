import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../lib/billing/api-keys/api-key-secret";
import { createApiKey } from "../../lib/billing/api-keys/create-api-key";
import { listApiKeys } from "../../lib/billing/api-keys/list-api-keys";
import { revokeApiKey } from "../../lib/billing/api-keys/revoke-api-key";
import { verifyApiKey } from "../../lib/billing/api-keys/verify-api-key";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "./factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

const settle = () => new Promise((r) => setTimeout(r, 50));

describe("API keys", () => {
  it("are shown once, stored hashed, listed without secrets, verified by hash and revocable", async () => {
    const { teamId, userId } = await makeTeam(t.db);
    const { apiKey, secret } = await createApiKey({ db: t.db, teamId, name: "  CI pipeline ", role: "BILLING", createdByUserId: userId });
    expect(secret).toMatch(/^cdk_live_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "CI pipeline", role: "BILLING", prefix: secret.slice(0, 12), lastUsedAt: null, revokedAt: null });
    expect(apiKey).not.toHaveProperty("hashedKey");
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.hashedKey).toBe(hashApiKey(secret));
    expect(JSON.stringify(row, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))).not.toContain(secret.slice(12));
    const listed = await listApiKeys({ db: t.db, teamId });
    expect(listed.map((k) => k.id)).toEqual([apiKey.id]);
    expect(listed[0]).not.toHaveProperty("hashedKey");

    const ok = await verifyApiKey({ db: t.db, secret });
    expect(ok).toEqual({ ok: true, key: { id: apiKey.id, teamId, role: "BILLING", name: "CI pipeline", test: false } });
    expect(await verifyApiKey({ db: t.db, secret: `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}` })).toEqual({ ok: false, reason: "unknown" });
    expect(await verifyApiKey({ db: t.db, secret: "hello" })).toEqual({ ok: false, reason: "malformed" });

    await revokeApiKey({ db: t.db, teamId, apiKeyId: apiKey.id, actorUserId: userId });
    expect(await verifyApiKey({ db: t.db, secret })).toEqual({ ok: false, reason: "revoked" });
    const again = await revokeApiKey({ db: t.db, teamId, apiKeyId: apiKey.id, actorUserId: userId });
    expect(again.revokedAt).not.toBeNull();
    expect(await t.db.auditLog.count({ where: { teamId, action: { in: ["api_key.created", "api_key.revoked"] } } })).toBe(2);
  });

  it("record last use at most once a minute", async () => {
    const { teamId, userId } = await makeTeam(t.db);
    const { apiKey, secret } = await createApiKey({ db: t.db, teamId, name: "k", role: "READ_ONLY", createdByUserId: userId });
    const t0 = new Date("2026-11-21T10:00:00Z");
    await verifyApiKey({ db: t.db, secret, now: t0 });
    await settle();
    const first = (await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt;
    expect(first?.toISOString()).toBe(t0.toISOString());
    await verifyApiKey({ db: t.db, secret, now: new Date(t0.getTime() + 30_000) });
    await settle();
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt?.toISOString()).toBe(t0.toISOString());
    const later = new Date(t0.getTime() + 61_000);
    await verifyApiKey({ db: t.db, secret, now: later });
    await settle();
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt?.toISOString()).toBe(later.toISOString());
  });

  it("belong to one team: another team cannot revoke them; names and roles are validated", async () => {
    const a = await makeTeam(t.db);
    const b = await makeTeam(t.db);
    const { apiKey } = await createApiKey({ db: t.db, teamId: a.teamId, name: "a", role: "READ_ONLY", createdByUserId: a.userId });
    await expect(revokeApiKey({ db: t.db, teamId: b.teamId, apiKeyId: apiKey.id, actorUserId: b.userId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(createApiKey({ db: t.db, teamId: a.teamId, name: " ", role: "BILLING", createdByUserId: a.userId })).rejects.toMatchObject({
      details: { field: "name" },
    });
    await expect(createApiKey({ db: t.db, teamId: a.teamId, name: "x", role: "ADMIN" as never, createdByUserId: a.userId })).rejects.toMatchObject({
      details: { field: "role" },
    });
    expect(await listApiKeys({ db: t.db, teamId: b.teamId })).toEqual([]);
  });

  it("hold a team to 100 active keys, also when requests race for the last place", async () => {
    const team = await makeTeam(t.db);
    const make = (i: number) => createApiKey({ db: t.db, teamId: team.teamId, name: `k${i}`, role: "READ_ONLY", createdByUserId: team.userId });
    for (let i = 0; i < 99; i++) await make(i);
    const racing = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => make(100 + i)));
    expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(racing.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "CONFLICT" } });
    expect(await t.db.apiKey.count({ where: { teamId: team.teamId, revokedAt: null } })).toBe(100);
  });
});
