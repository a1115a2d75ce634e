import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchLowBalances } from "../../../lib/billing/webhooks/watch-low-balances";
import { createTestDatabase, type TestDatabase } from "../../helpers/db";
import { makeTeam } from "../factories";

const SECRET = "whsec-watch-0123456789abcdefghijklmnopqrstuvwxyz";

describe("the balance_low watch reaches every subscribing team (real PostgreSQL)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t.close();
  });

  it("pages past `limit`: a team beyond the first page is not starved by teams that are not low", async () => {
    // Five subscribing teams, all at 0 credits (below the line of 1): every one must get its balance_low event, even
    // when one sweep reads the teams two at a time.
    const teams: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { teamId } = await makeTeam(t.db);
      await t.db.webhookEndpoint.create({ data: { teamId, url: "https://example.com/hook", events: ["balance_low"], secret: SECRET } });
      teams.push(teamId);
    }
    // Three sweeps of two teams a page: before the fix each sweep read the same first two teams, and the other three
    // never heard of their balance.
    let emitted = 0;
    for (let i = 0; i < 3; i++) emitted += (await watchLowBalances({ db: t.db, limit: 2 })).emitted;
    expect(emitted).toBe(5);
    const events = await t.db.webhookEvent.findMany({ where: { teamId: { in: teams }, type: "balance_low" }, select: { teamId: true } });
    expect(new Set(events.map((e) => e.teamId))).toEqual(new Set(teams));
    // Another sweep: nothing new (each team is already low).
    expect((await watchLowBalances({ db: t.db, limit: 2 })).emitted).toBe(0);
  });
});
