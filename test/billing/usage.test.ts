import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUsageSeries } from "../../lib/billing/usage/get-usage-series";
import { getUsageSummary } from "../../lib/billing/usage/get-usage-summary";
import { getPriceTable } from "../../lib/billing/usage/price-table";
import { recordUsage } from "../../lib/billing/usage/record-usage";
import { setOperationPrice } from "../../lib/billing/usage/set-operation-price";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance } from "./factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe("usage", () => {
  it("prices events from the seed's FCU table and answers each in order, repeats included", async () => {
    const prices = await getPriceTable({ db: t.db });
    expect(Object.fromEntries(prices)).toEqual({
      add: 1n,
      negate: 1n,
      rescale: 1n,
      "add-plain": 1n,
      "multiply-plain": 2n,
      multiply: 5n,
      rotate: 5n,
      key_switch: 5n,
      "poly-eval": 10n,
      matmul: 20n,
      bootstrap: 50n,
      infer_7b: 100n,
      infer_70b: 1000n,
    });
    const { teamId } = await makeTeam(t.db, { credits: 10_000n });
    const r = await recordUsage({
      db: t.db,
      teamId,
      events: [
        { idempotencyKey: "a", operation: "rotate", quantity: 3 },
        { idempotencyKey: "b", operation: "poly-eval", quantity: 2n },
        { idempotencyKey: "a", operation: "rotate", quantity: 3 },
      ],
    });
    expect(r.map((x) => [x.status, x.credits, x.balanceAfter])).toEqual([
      ["debited", 15n, 9985n],
      ["debited", 20n, 9965n],
      ["duplicate", 15n, 9985n],
    ]);
    expect(r[2]?.entryId).toBe(r[0]?.entryId);
    const again = await recordUsage({ db: t.db, teamId, events: [{ idempotencyKey: "b", operation: "poly-eval", quantity: 2 }] });
    expect(again[0]).toMatchObject({ status: "duplicate", entryId: r[1]?.entryId });
    expect(await teamBalance(t.db, teamId)).toBe(9965n);
  });

  it("refuses an unknown operation naming it, and knows a new one as soon as it is priced", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 10_000n });
    await expect(recordUsage({ db: t.db, teamId, events: [{ idempotencyKey: "x", operation: "fft", quantity: 1 }] })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      details: { field: "events[0].operation" },
    });
    await setOperationPrice({ db: t.db, operation: "fft", creditsPerUnit: 7n, description: "Fourier transform" });
    const r = await recordUsage({ db: t.db, teamId, events: [{ idempotencyKey: "x", operation: "fft", quantity: 2 }] });
    expect(r[0]).toMatchObject({ status: "debited", credits: 14n });
    await setOperationPrice({ db: t.db, operation: "fft", creditsPerUnit: 7n, active: false });
    await expect(recordUsage({ db: t.db, teamId, events: [{ idempotencyKey: "y", operation: "fft", quantity: 1 }], fieldPrefix: "" })).rejects.toMatchObject({
      details: { field: "operation" },
    });
    expect(await teamBalance(t.db, teamId)).toBe(10_000n - 14n);
  });

  it("rolls usage up per team, UTC day and operation, and summarises the cycle", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 1_000_000n });
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    await recordUsage({
      db: t.db,
      teamId,
      events: [
        { idempotencyKey: "1", operation: "matmul", quantity: 10, timestamp: today },
        { idempotencyKey: "2", operation: "matmul", quantity: 5, timestamp: today },
        { idempotencyKey: "3", operation: "add", quantity: 100, timestamp: today },
      ],
    });
    const series = await getUsageSeries({ db: t.db, teamId, from: new Date(today.getTime() - 86_400_000 * 2), to: new Date(today.getTime() + 86_400_000) });
    expect(series).toEqual([
      { day: today.toISOString().slice(0, 10), operation: "add", quantity: 100n, credits: 100n, events: 1n },
      { day: today.toISOString().slice(0, 10), operation: "matmul", quantity: 15n, credits: 300n, events: 2n },
    ]);
    const summary = await getUsageSummary({ db: t.db, teamId, now });
    expect(summary).toMatchObject({
      usedCredits: 400n,
      operationsTotal: 115n,
      byOperation: { add: 100n, matmul: 15n },
      monthlyLimitCredits: 10_000n, // Free's, without a subscription
      overageCredits: 0n,
    });
    expect(summary.estimatedCostCents).toBe(0n); // within Free's included credits
  });
});
