import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseBillingConfig, resetBillingConfig } from "../../lib/billing/config";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { verifyBalance } from "../../lib/billing/ledger/verify-balance";
import { closeStatement } from "../../lib/billing/statements/close-statement";
import { repayStatement } from "../../lib/billing/statements/repay-statement";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance } from "./factories";

// Money stays exact whatever order draws, top-ups, cycle closes and statement payments come in: every credit drawn
// below zero by usage ends up on exactly one statement or repaid by credits, never both, never twice.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  // No minimum charge here, so every draw is billable and the sums can be exact.
  resetBillingConfig(parseBillingConfig({ ...process.env, STATEMENT_MINIMUM_CENTS: "0" }));
});
afterAll(async () => {
  resetBillingConfig();
  await t?.close();
});

const UNIT = 5_000n; // one cent at the overage rate, so every draw is billable
const ALLOWANCE = 400n * UNIT;
const below = (balance: bigint) => (balance < 0n ? -balance : 0n);
const tick = () => new Promise((r) => setTimeout(r, 3));

type Op = { t: "use"; units: number } | { t: "topup"; units: number } | { t: "close" } | { t: "pay"; pick: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant("use" as const), units: fc.integer({ min: 1, max: 150 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("topup" as const), units: fc.integer({ min: 1, max: 150 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("close" as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("pay" as const), pick: fc.nat() }) },
);

describe("statements under any order of events", () => {
  it("bill every drawn credit once: after the last close and payment nothing is owed and nothing was billed twice", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), fc.nat({ max: 100 }), async (ops, startUnits) => {
        const team = await makeTeam(t.db, { credits: BigInt(startUnits) * UNIT });
        const customerId = `cus_prop_${run++}_${team.teamId}`;
        await t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customerId, overageLimitCredits: ALLOWANCE } });
        let used = 0n;
        let added = BigInt(startUnits) * UNIT;
        let drawnByUsage = 0n;
        let toppedUpAfterDraw = false;
        const pay = async (id: string) => {
          const st = await t.db.statement.findUniqueOrThrow({ where: { id } });
          const invoice = { id: `in_${id}`, customerId, status: "paid", amountPaidCents: Number(st.amountCents) };
          await repayStatement({ db: t.db, statementId: id, invoice });
          await repayStatement({ db: t.db, statementId: id, invoice }); // a duplicate delivery
        };
        const close = async () => {
          await tick();
          await closeStatement({ db: t.db, teamId: team.teamId, kind: "OVERAGE", closesAt: new Date() });
          await tick();
        };
        for (const o of ops) {
          if (o.t === "use") {
            const before = await teamBalance(t.db, team.teamId);
            const [r] = await applyDebits({
              db: t.db,
              teamId: team.teamId,
              debits: [{ idempotencyKey: `u${used}-${Math.random()}`, amount: BigInt(o.units) * UNIT }],
            });
            if (r!.status === "debited") {
              used += BigInt(o.units) * UNIT;
              const deeper = below(r!.balanceAfter!) - below(before);
              if (deeper > 0n) drawnByUsage += deeper;
            }
          } else if (o.t === "topup") {
            if (drawnByUsage > 0n) toppedUpAfterDraw = true;
            added += BigInt(o.units) * UNIT;
            await creditCredits({ db: t.db, teamId: team.teamId, amount: BigInt(o.units) * UNIT, kind: "TOPUP", idempotencyKey: `t${added}-${Math.random()}` });
          } else if (o.t === "close") {
            await close();
          } else {
            const open = await t.db.statement.findMany({ where: { teamId: team.teamId, paidAt: null }, orderBy: { closesAt: "asc" } });
            if (open.length) await pay(open[o.pick % open.length]!.id);
          }
        }
        // The end of the story: everything open is paid, the last cycle closes and its statement is paid.
        for (const s of await t.db.statement.findMany({ where: { teamId: team.teamId, paidAt: null } })) await pay(s.id);
        await close();
        for (const s of await t.db.statement.findMany({ where: { teamId: team.teamId, paidAt: null } })) await pay(s.id);

        const statements = await t.db.statement.findMany({ where: { teamId: team.teamId } });
        const billed = statements.reduce((sum, s) => sum + s.drawnCredits, 0n);
        const balance = await teamBalance(t.db, team.teamId);
        expect(statements.every((s) => s.status === "PAID" && s.amountCents * UNIT === s.drawnCredits)).toBe(true);
        expect(balance).toBe(added - used + billed); // the ledger identity, with each statement repaid exactly once
        expect(balance).toBeGreaterThanOrEqual(0n); // nothing drawn is left unbilled
        expect(billed).toBeLessThanOrEqual(drawnByUsage); // never more than usage drew below zero
        // Without a top-up after drawing, the team pays for exactly what it used beyond its credits.
        if (!toppedUpAfterDraw) expect(billed).toBe(used > added ? used - added : 0n);
        expect((await verifyBalance({ db: t.db, teamId: team.teamId })).ok).toBe(true);
      }),
      { numRuns: 40 },
    );
  }, 240_000);
});
