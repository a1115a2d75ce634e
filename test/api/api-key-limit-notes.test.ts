import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setApiKeyLimit } from "../../lib/billing/api-keys/set-api-key-limit";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, userActor } from "../billing/factories";
import { makeKey } from "./helpers";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

/** A key of a new team (its owner gets the notes), with usage through it, its notes and its daily limit, all on one day. */
async function keyWithLimits() {
  const team = await makeTeam(t.db, { credits: 100_000n });
  const key = await makeKey(t.db, team.teamId, team.userId);
  const owner = userActor(team.userId, team.teamId, "OWNER");
  const day = new Date("2026-12-07T10:00:00Z");
  return {
    key,
    spend: (k: string, q: number) =>
      recordUsage({ db: t.db, teamId: team.teamId, apiKeyId: key.id, events: [{ idempotencyKey: k, operation: "add", quantity: q }], now: day }),
    count: (kind: string) => t.db.notification.count({ where: { teamId: team.teamId, kind } }),
    limit: (credits: bigint) => setApiKeyLimit({ db: t.db, actor: owner, apiKeyId: key.id, limit: { credits, period: "DAY" }, now: day }),
  };
}

describe("API-key limit notes (real PostgreSQL)", () => {
  it("each alert that clears gets its note: a second raise in the same period is not swallowed as a repeat of the first", async () => {
    const { key, spend, count, limit } = await keyWithLimits();

    await limit(100n);
    await spend("a", 85); // 85% of 100: alert
    expect(await count("api_key_limit_alert")).toBe(1);
    await limit(200n);
    expect(await count("api_key_limit_cleared")).toBe(1);
    await spend("b", 85); // 170 of 200 (85%): a second alert, the same day
    expect(await count("api_key_limit_alert")).toBe(2);
    await limit(400n);
    // The owner heard of the second alert, so hears that it cleared too.
    expect(await count("api_key_limit_cleared")).toBe(2);
    expect((await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).limitAlertPeriodStart).toBeNull();
  });

  it("an alert again at a limit alerted before in the same period is sent again (it cleared in between)", async () => {
    const { spend, count, limit } = await keyWithLimits();

    await limit(100n);
    await spend("a", 85); // alert at 100
    await limit(1000n); // cleared
    await limit(100n); // 85 of 100 again: the alert stands again, and the owner hears of it
    expect(await count("api_key_limit_cleared")).toBe(1);
    expect(await count("api_key_limit_alert")).toBe(2);
    // Cleared once more, then crossed by usage at the same limit: alerted once more.
    await limit(1000n);
    await limit(100n);
    expect(await count("api_key_limit_alert")).toBe(3);
    await limit(200n); // 85 of 200: cleared
    await spend("b", 80); // 165 of 200
    expect(await count("api_key_limit_alert")).toBe(4);
    expect(await count("api_key_limit_cleared")).toBe(3);
  });
});
