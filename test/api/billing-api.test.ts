import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as budgetRoute from "../../app/api/v1/billing/budget/route";
import * as usageRoute from "../../app/api/v1/billing/usage/route";
import { POST as postUsage } from "../../app/api/v1/usage/route";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "../billing/factories";
import { putOnPlan } from "../buy-credit/helpers";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { call, makeKey, snapshot } from "./helpers";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
});
afterAll(() => t.close());

describe("GET/POST /api/v1/billing/budget", () => {
  it("reads and sets the budget in the seed's shape", async () => {
    const team = await makeTeam(t.db, { credits: 100_000_000n });
    const key = await makeKey(t.db, team.teamId, team.userId, "BILLING");
    const empty = await call(budgetRoute.GET, { key: key.secret });
    expect(empty.status).toBe(200);
    expect(empty.json).toMatchObject({ monthly_cap_usd: null, current_spend_usd: 0, hard_cap: false, alerts_sent: [], next_alert_threshold_pct: null });
    // $84.50 of usage: 6,760,000 credits at 80,000 per dollar.
    await call(postUsage, { key: key.secret, body: { idempotency_key: "u1", operation: "infer_70b", quantity: 6760 } });
    const set = await call(budgetRoute.POST, {
      key: key.secret,
      body: { monthly_cap_usd: 100.0, alert_email: "ops@example.com", hard_cap: true, allow_soft_overage: false },
    });
    expect(set.status).toBe(200);
    expect(set.json).toEqual({
      monthly_cap_usd: 100,
      current_spend_usd: 84.5,
      alert_email: "ops@example.com",
      hard_cap: true,
      allow_soft_overage: false,
      alerts_sent: ["50%", "80%"],
      next_alert_threshold_pct: 100,
      month: expect.stringMatching(/^\d{4}-\d{2}$/),
      monthly_cap_credits: 8_000_000,
      current_spend_credits: 6_760_000,
    });
    expect((await call(budgetRoute.GET, { key: key.secret })).json).toEqual(set.json);
    const string = await call(budgetRoute.POST, { key: key.secret, body: { monthly_cap_usd: "500.25" } });
    expect(string.json).toMatchObject({ monthly_cap_usd: 500.25, hard_cap: false, allow_soft_overage: true, alert_email: null, alerts_sent: [] });
  });

  it("refuses bad input with the field named and read-only keys with 403, changing nothing", async () => {
    const team = await makeTeam(t.db);
    const key = await makeKey(t.db, team.teamId, team.userId, "BILLING");
    const readOnly = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    const before = await snapshot(t.db, team.teamId);
    const cases: [unknown, string][] = [
      [{ monthly_cap_usd: 500.001 }, "monthly_cap_usd"],
      [{ monthly_cap_usd: -5 }, "monthly_cap_usd"],
      [{ monthly_cap_usd: 0 }, "monthly_cap_usd"],
      [{ monthly_cap_usd: 1e21 }, "monthly_cap_usd"],
      [{ monthly_cap_usd: true }, "monthly_cap_usd"],
      [{}, "monthly_cap_usd"],
      [{ monthly_cap_usd: 5, alert_email: "nope" }, "alert_email"],
      [{ monthly_cap_usd: 5, hard_cap: "yes" }, "hard_cap"],
      [{ monthly_cap_usd: 5, cap: 1 }, "cap"],
    ];
    for (const [body, field] of cases) {
      const r = await call(budgetRoute.POST, { key: key.secret, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error.field, JSON.stringify(body)).toBe(field);
    }
    const denied = await call(budgetRoute.POST, { key: readOnly.secret, body: { monthly_cap_usd: 5 } });
    expect(denied.status).toBe(403);
    expect((await call(budgetRoute.GET, { key: readOnly.secret })).status).toBe(200);
    expect((await call(budgetRoute.GET, {})).status).toBe(401);
    expect(await snapshot(t.db, team.teamId)).toEqual(before);
  });
});

describe("GET /api/v1/billing/usage", () => {
  it("returns the current cycle's breakdown in the seed's shape", async () => {
    const team = await makeTeam(t.db, { credits: 10_000_000n });
    const key = await makeKey(t.db, team.teamId, team.userId, "BILLING");
    const readOnly = await makeKey(t.db, team.teamId, team.userId, "READ_ONLY");
    await call(postUsage, {
      key: key.secret,
      body: {
        events: [
          { idempotency_key: "a", operation: "add", quantity: 50000 },
          { idempotency_key: "b", operation: "matmul", quantity: 800 },
          { idempotency_key: "c", operation: "bootstrap", quantity: 50 },
        ],
      },
    });
    const r = await call(usageRoute.GET, { key: readOnly.secret });
    expect(r.status).toBe(200);
    const now = new Date();
    expect(r.json).toEqual({
      period_start: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
      period_end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
      monthly_fcu_limit: 10000, // no subscription: Free's monthly credits
      monthly_fcu_used: 50000 + 16000 + 2500,
      operations_total: 50850,
      by_operation: { add: 50000, bootstrap: 50, matmul: 800 },
      credits_by_operation: { add: 50000, bootstrap: 2500, matmul: 16000 },
      // Free has no overage: usage beyond its 10,000 FCU is paid with the team's purchased credits, never billed.
      estimated_cost_usd: 0,
      overage_fcu: 0,
      overage_cost_usd: 0,
    });
  });

  // Usage is added in steps and the cost fields read after each: at the included amount, one FCU over, 1M over.
  const costsAfter = async (key: string, steps: [string, number][]) => {
    const seen: [number, number, number, number][] = [];
    for (const [operation, quantity] of steps) {
      const r = await call(postUsage, { key, body: { idempotency_key: `k-${seen.length}`, operation, quantity } });
      expect(r.status).toBe(200);
      const u = (await call(usageRoute.GET, { key })).json;
      seen.push([u.monthly_fcu_used, u.overage_fcu, u.overage_cost_usd, u.estimated_cost_usd]);
    }
    return seen;
  };

  it("Pro includes 20M FCU: nothing at exactly 20M, 1 FCU over costs $0.00, 1M over costs $2.00", async () => {
    const team = await makeTeam(t.db);
    await putOnPlan(t.db, team.teamId, "pro");
    await creditCredits({ db: t.db, teamId: team.teamId, amount: 20_000_000n, kind: "PLAN_GRANT", idempotencyKey: "pro-plan-credits" });
    const key = (await makeKey(t.db, team.teamId, team.userId, "BILLING")).secret;
    const seen = await costsAfter(key, [
      ["infer_70b", 20_000],
      ["add", 1],
      ["add", 2_499],
      ["add", 1],
      ["add", 997_499],
    ]);
    expect(seen).toEqual([
      [20_000_000, 0, 0, 0],
      [20_000_001, 1, 0, 0],
      [20_002_500, 2_500, 0.01, 0.01], // half a cent rounds up
      [20_002_501, 2_501, 0.01, 0.01],
      [21_000_000, 1_000_000, 2, 2],
    ]);
    expect((await call(usageRoute.GET, { key })).json.monthly_fcu_limit).toBe(20_000_000);
  });

  it("purchased credits pay for usage beyond the plan: only what no credit covers is overage", async () => {
    const team = await makeTeam(t.db, { credits: 1_000_000n });
    await putOnPlan(t.db, team.teamId, "pro");
    await creditCredits({ db: t.db, teamId: team.teamId, amount: 20_000_000n, kind: "PLAN_GRANT", idempotencyKey: "pro-plan-credits" });
    const key = (await makeKey(t.db, team.teamId, team.userId, "BILLING")).secret;
    const seen = await costsAfter(key, [
      ["infer_70b", 21_000],
      ["add", 1_000_000],
    ]);
    expect(seen).toEqual([
      [21_000_000, 0, 0, 0],
      [22_000_000, 1_000_000, 2, 2],
    ]);
  });

  it("PAYG includes nothing: every FCU beyond the team's credits is overage at $2.00 per 1M (0.0002 cents each)", async () => {
    const team = await makeTeam(t.db);
    await putOnPlan(t.db, team.teamId, "payg");
    const key = (await makeKey(t.db, team.teamId, team.userId, "BILLING")).secret;
    const empty = (await call(usageRoute.GET, { key })).json;
    expect([empty.monthly_fcu_limit, empty.overage_fcu, empty.overage_cost_usd, empty.estimated_cost_usd]).toEqual([null, 0, 0, 0]);
    const seen = await costsAfter(key, [
      ["add", 1],
      ["add", 2_498],
      ["add", 1],
      ["add", 997_500],
      ["infer_70b", 1_000],
    ]);
    expect(seen).toEqual([
      [1, 1, 0, 0],
      [2_499, 2_499, 0, 0],
      [2_500, 2_500, 0.01, 0.01],
      [1_000_000, 1_000_000, 2, 2],
      [2_000_000, 2_000_000, 4, 4],
    ]);
  });
});
