import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../lib/db/client";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { DebitBatcher } from "../../lib/billing/usage/debit-batcher";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { debitCredits } from "../../lib/billing/ledger/debit-credits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance } from "./factories";

// Two clients with their own pools stand for two app processes: one batches, the other applies each debit in its own
// transaction. Only the team row lock keeps them correct together.
let t: TestDatabase;
let other: Db;
beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  other = createDb(t.url, { max: 10 });
});
afterAll(async () => {
  await other.$disconnect();
  await t.close();
});

type Settled = { ok: true; id: string; duplicate: boolean; balanceAfter: bigint } | { ok: false; code: string };
const settle = (p: Promise<{ entry: { id: string; balanceAfter: bigint }; duplicate: boolean }>): Promise<Settled> =>
  p.then(
    (r) => ({ ok: true as const, id: r.entry.id, duplicate: r.duplicate, balanceAfter: r.entry.balanceAfter }),
    (e: { code?: string }) => ({ ok: false as const, code: e.code ?? String(e) }),
  );

// The unbatched path of "another process": one statement (one transaction) per debit.
const direct = (teamId: string, amount: bigint, idempotencyKey: string): Promise<Settled> =>
  applyDebits({ db: other, teamId, debits: [{ idempotencyKey, amount }] }).then(([o]) =>
    o!.status === "rejected" ? { ok: false, code: o!.code } : { ok: true, id: o!.entryId, duplicate: o!.status === "duplicate", balanceAfter: o!.balanceAfter },
  );

describe("concurrent debits on one team", () => {
  it("200 parallel debits with one idempotency key debit once", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 1_000_000n });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0 ? settle(debitCredits({ db: t.db, teamId, amount: 777n, idempotencyKey: "same-key" })) : direct(teamId, 777n, "same-key"),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.id : "")));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(await t.db.ledgerEntry.count({ where: { teamId, kind: "USAGE" } })).toBe(1);
    expect(await teamBalance(t.db, teamId)).toBe(1_000_000n - 777n);
    expect((await verifyBalance({ db: t.db, teamId })).problems).toEqual([]);
  });

  it("1,000 parallel debits that together exceed balance plus credit line stop exactly at the floor", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 500n, creditLimitCents: 1n }); // floor -800: 1,300 to spend
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        i % 3 === 0 ? direct(teamId, 2n, `d${i}`) : settle(debitCredits({ db: t.db, teamId, amount: 2n, idempotencyKey: `d${i}` })),
      ),
    );
    const accepted = results.filter((r) => r.ok);
    expect(accepted).toHaveLength(650);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === "INSUFFICIENT_CREDITS")).toBe(true);
    expect(await teamBalance(t.db, teamId)).toBe(-800n);
    const check = await verifyBalance({ db: t.db, teamId });
    expect(check.problems).toEqual([]);
    expect(check.minUsageBalanceAfter).toBe(-800n);
    expect(new Set(accepted.map((r) => (r.ok ? r.balanceAfter : 0n))).size).toBe(650); // each step of the way once
  });

  it("with mixed amounts no rejected debit would have fitted, and none went past the floor", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 3_000n });
    await setCreditLimit({ db: t.db, teamId, limitCents: 2n }); // floor -1,600
    const amounts = Array.from({ length: 1000 }, (_, i) => BigInt(1 + ((i * 7919) % 13)));
    const results = await Promise.all(
      amounts.map((a, i) => (i % 4 === 0 ? direct(teamId, a, `m${i}`) : settle(debitCredits({ db: t.db, teamId, amount: a, idempotencyKey: `m${i}` })))),
    );
    const final = await teamBalance(t.db, teamId);
    const acceptedSum = amounts.reduce((s, a, i) => (results[i]!.ok ? s + a : s), 0n);
    expect(final).toBe(3_000n - acceptedSum);
    expect(final).toBeGreaterThanOrEqual(-1_600n);
    for (const [i, r] of results.entries()) if (!r.ok) expect(final - amounts[i]!).toBeLessThan(-1_600n);
    expect((await verifyBalance({ db: t.db, teamId })).problems).toEqual([]);
  });

  it("credits and debits racing from two clients keep balance = entries = grants", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 100n });
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      if (i % 10 === 0) ops.push(creditCredits({ db: i % 20 === 0 ? t.db : other, teamId, amount: 50n, kind: "TOPUP", idempotencyKey: `c${i}` }));
      else ops.push(i % 2 ? settle(debitCredits({ db: t.db, teamId, amount: 7n, idempotencyKey: `x${i % 50}` })) : direct(teamId, 7n, `x${i % 50}`));
    }
    await Promise.all(ops);
    const check = await verifyBalance({ db: t.db, teamId });
    expect(check.problems).toEqual([]);
    expect(check.balance).toBeGreaterThanOrEqual(0n);
    expect(await t.db.ledgerEntry.count({ where: { teamId, kind: "USAGE" } })).toBeLessThanOrEqual(50);
  });

  it("a caller whose debits the database refuses does not fail the others batched with it", async () => {
    const { teamId } = await makeTeam(t.db, { credits: 1000n });
    const batcher = new DebitBatcher(t.db, { windowMs: 5, maxBatch: 1000, maxInFlight: 1 });
    const good = batcher.submit(teamId, [{ idempotencyKey: "good-1", amount: 10n }]);
    const bad = batcher.submit(teamId, [{ idempotencyKey: "bad-1", amount: 10n, metadata: { note: "nul \u0000 here" } }]);
    const alsoGood = batcher.submit(teamId, [{ idempotencyKey: "good-2", amount: 10n }]);
    expect((await good)[0]?.status).toBe("debited");
    await expect(bad).rejects.toThrow();
    expect((await alsoGood)[0]?.status).toBe("debited");
    expect(await teamBalance(t.db, teamId)).toBe(980n);
    expect((await verifyBalance({ db: t.db, teamId })).problems).toEqual([]);
  });
});
