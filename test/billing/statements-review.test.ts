import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { resetBillingConfig } from "../../lib/billing/config";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";
import { applyDebits } from "../../lib/billing/ledger/apply-debits";
import { closeStatement } from "../../lib/billing/statements/close-statement";
import { closeTeamDraw } from "../../lib/billing/statements/close-team-draw";
import { repayStatement } from "../../lib/billing/statements/repay-statement";
import { sweepStatements } from "../../lib/billing/statements/sweep-statements";
import type { Db } from "../../lib/db/client";
import { applySubscriptionState } from "../../lib/billing/subscriptions/apply-subscription-state";
import { grantFreeAllowance } from "../../lib/billing/subscriptions/grant-free-allowance";
import { startOfUtcMonth } from "../../lib/billing/dates";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam } from "./factories";

// Review of the statements: a draw is billed exactly once, whatever changes how the team draws (a credit line granted or
// removed, a subscription that ended, Free's monthly allowance at the boundary). Real PostgreSQL, no mocks.
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ max: 10 });
  resetBillingConfig();
});
afterAll(async () => {
  await t?.close();
});

const DAY = 86_400_000;
const key = () => `k-${randomBytes(6).toString("hex")}`;
const draw = (teamId: string, amount: bigint) => applyDebits({ db: t.db, teamId, debits: [{ idempotencyKey: key(), amount, operation: "matmul" }] });
const nextMonth = () => new Date(startOfUtcMonth(new Date(Date.now() + 32 * DAY)).getTime() + 3_600_000);
const statements = (teamId: string) => t.db.statement.findMany({ where: { teamId }, orderBy: { closesAt: "asc" } });

describe("statements when the way a team draws changes", () => {
  it("an overage statement still unpaid is not billed again when the team gets a credit line (same boundary)", async () => {
    const team = await makeTeam(t.db);
    await t.db.team.update({ where: { id: team.teamId }, data: { overageLimitCredits: 50_000_000n } });
    expect((await draw(team.teamId, 5_000_000n))[0]).toMatchObject({ status: "debited" });
    const at = nextMonth();
    const boundary = startOfUtcMonth(at);
    const first = await closeStatement({ db: t.db, teamId: team.teamId, kind: "OVERAGE", closesAt: boundary });
    expect(first?.statement).toMatchObject({ drawnCredits: 5_000_000n, amountCents: 1000n });

    // The card declined, the statement is open; a platform admin grants a credit line meanwhile.
    await setCreditLimit({ db: t.db, teamId: team.teamId, limitCents: 100_000n, reason: "review" });
    await closeTeamDraw({ db: t.db, teamId: team.teamId, now: at });
    expect((await statements(team.teamId)).map((s) => [s.kind, s.drawnCredits])).toEqual([["OVERAGE", 5_000_000n]]);
  });

  it("a credit line removed while drawn is still billed (at the credit line's rate)", async () => {
    const team = await makeTeam(t.db, { creditLimitCents: 100_000n });
    expect((await draw(team.teamId, 4_000_000n))[0]).toMatchObject({ status: "debited" });
    await setCreditLimit({ db: t.db, teamId: team.teamId, limitCents: 0n, reason: "closed by review" });
    await closeTeamDraw({ db: t.db, teamId: team.teamId, now: nextMonth() });
    expect((await statements(team.teamId)).map((s) => [s.kind, s.drawnCredits, s.amountCents])).toEqual([["CREDIT_LINE", 4_000_000n, 5000n]]);
  });

  it("a credit line team whose subscription ended is billed every month after, not once", async () => {
    const team = await makeTeam(t.db, { creditLimitCents: 100_000n });
    const now = Date.now();
    await t.db.subscription.create({
      data: {
        teamId: team.teamId,
        planId: "pro",
        status: "CANCELED",
        stripeSubscriptionId: `sub_${key()}`,
        currentPeriodStart: new Date(now - 40 * DAY),
        currentPeriodEnd: new Date(now - 10 * DAY),
        canceledAt: new Date(now - 20 * DAY),
      },
    });
    // Drawn after the subscription ended: the first close at its end has nothing, the next month's close bills it.
    expect((await draw(team.teamId, 4_000_000n))[0]).toMatchObject({ status: "debited" });
    expect(await closeTeamDraw({ db: t.db, teamId: team.teamId, now: new Date(now) })).toBeNull();
    const at = nextMonth();
    await closeTeamDraw({ db: t.db, teamId: team.teamId, now: at });
    const sts = await statements(team.teamId);
    expect(sts.map((s) => [s.kind, s.drawnCredits, s.closesAt.toISOString()])).toEqual([["CREDIT_LINE", 4_000_000n, startOfUtcMonth(at).toISOString()]]);
  });

  it("Free's monthly allowance does not repay last month's credit line draw before it is billed", async () => {
    const team = await makeTeam(t.db, { creditLimitCents: 100_000n });
    expect((await draw(team.teamId, 4_000_000n))[0]).toMatchObject({ status: "debited" });
    const at = nextMonth();
    expect(await t.db.$transaction((tx) => grantFreeAllowance({ db: tx, teamId: team.teamId, now: at }))).toBe(10_000n);
    await closeTeamDraw({ db: t.db, teamId: team.teamId, now: at });
    expect((await statements(team.teamId)).map((s) => [s.kind, s.drawnCredits])).toEqual([["CREDIT_LINE", 4_000_000n]]);
  });
  it("overage drawn on Pro is billed when the team moves to its custom Enterprise plan mid-cycle", async () => {
    const team = await makeTeam(t.db);
    const customerId = `cus_${key()}`;
    const subId = `sub_${key()}`;
    const start = new Date(Date.now() - 5 * DAY);
    const end = new Date(start.getTime() + 30 * DAY);
    await t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customerId } });
    const snapshot = (priceLookupKey: string) => ({
      id: subId,
      customerId,
      teamId: team.teamId,
      status: "active",
      priceLookupKey,
      currentPeriodStart: start,
      currentPeriodEnd: end,
      cancelAtPeriodEnd: false,
      canceledAt: null,
    });
    const pro = await t.db.plan.findUniqueOrThrow({ where: { id: "pro" } });
    await applySubscriptionState({ db: t.db, subscription: snapshot(pro.stripeMonthlyLookup!) });
    expect((await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).overageLimitCredits).toBeGreaterThan(0n);
    expect((await draw(team.teamId, 5_000_000n))[0]).toMatchObject({ status: "debited", balanceAfter: -5_000_000n });

    const lookup = `ent_${key()}`;
    const ent = await t.db.plan.create({
      data: {
        id: `ent-${key()}`,
        name: "Enterprise",
        monthlyPriceCents: 100_000n,
        annualPriceCents: 0n,
        monthlyCredits: null,
        stripeMonthlyLookup: lookup,
        teamId: team.teamId,
      },
    });
    await t.db.$transaction((tx) => applySubscriptionState({ db: tx, subscription: snapshot(lookup) }));
    expect((await t.db.subscription.findUniqueOrThrow({ where: { teamId: team.teamId } })).planId).toBe(ent.id);
    await closeTeamDraw({ db: t.db, teamId: team.teamId, now: end });
    expect((await statements(team.teamId)).map((s) => [s.kind, s.drawnCredits, s.amountCents])).toEqual([["OVERAGE", 5_000_000n, 1000n]]);
  });
});

describe("the sweep's suspension and a payment at once", () => {
  it("a statement paid while the sweep is suspending overdue teams leaves the team drawing", async () => {
    const team = await makeTeam(t.db);
    const customerId = `cus_${key()}`;
    await t.db.team.update({ where: { id: team.teamId }, data: { stripeCustomerId: customerId, overageLimitCredits: 50_000_000n } });
    expect((await draw(team.teamId, 5_000_000n))[0]).toMatchObject({ status: "debited" });
    const st = await t.db.statement.create({
      data: {
        teamId: team.teamId,
        kind: "OVERAGE",
        closesAt: new Date(Date.now() - 20 * DAY),
        drawnCredits: 5_000_000n,
        amountCents: 1000n,
        status: "OPEN",
        dueAt: new Date(Date.now() - DAY),
        stripeInvoiceId: `in_${key()}`,
      },
    });
    // The invoice.paid webhook is applied right after the sweep has listed the overdue statements (another instance).
    let paid = false;
    const interleaved = t.db.$extends({
      query: {
        statement: {
          async findMany({ args, query }) {
            const rows = await query(args);
            if (!paid && args.where?.status === "OPEN") {
              paid = true;
              const invoice = { id: st.stripeInvoiceId!, customerId, status: "paid", amountPaidCents: 1000 };
              expect(await repayStatement({ db: t.db, statementId: st.id, invoice })).toMatch(/repaid/);
            }
            return rows;
          },
        },
      },
    }) as unknown as Db;
    const gateway = {
      issueStatementInvoice: () => Promise.reject(new Error("no statement is being billed here")),
      createCustomer: () => Promise.reject(new Error("no customer is made here")),
    };
    // Other tests' statements in this database fail to issue through this gateway: not what is checked here.
    await sweepStatements({ db: interleaved, gateway, now: new Date(), onError: () => {} });
    expect(paid).toBe(true);
    expect(await t.db.team.findUniqueOrThrow({ where: { id: team.teamId } })).toMatchObject({ balance: 0n, drawSuspendedAt: null });
    expect((await draw(team.teamId, 1n))[0]).toMatchObject({ status: "debited" });
  });
});
