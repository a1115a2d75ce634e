import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkCoupon, couponBonusCredits } from "../../lib/billing/coupons/check-coupon";
import { createCoupon } from "../../lib/billing/coupons/create-coupon";
import { disableCoupon } from "../../lib/billing/coupons/disable-coupon";
import { COUPON_MISS_LIMIT, COUPON_MISS_WINDOW_MS } from "../../lib/billing/coupons/rate-limit";
import { redeemCoupon } from "../../lib/billing/coupons/redeem-coupon";
import { closeTopUp } from "../../lib/billing/topups/close-top-up";
import { quoteTopUp } from "../../lib/billing/topups/quote-top-up";
import { startTopUp } from "../../lib/billing/topups/start-top-up";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { makeTeam, teamBalance } from "../billing/factories";

let t: TestDatabase;
let adminId: string;
beforeAll(async () => {
  t = await createTestDatabase({ max: 20 });
  adminId = (await t.db.user.create({ data: { email: "pat@example.test", isPlatformAdmin: true } })).id;
});
afterAll(() => t.close());

let n = 0;
const code = (prefix: string) => `${prefix}${++n}`;
const make = (input: Parameters<typeof createCoupon>[0]["input"]) => createCoupon({ db: t.db, input, actorUserId: adminId });

describe("creating codes", () => {
  it("normalises the code, parses the fields and refuses bad ones with the field named", async () => {
    const c = await make({
      code: " spring-25 ",
      grantCredits: "50000",
      bonusPercent: "10",
      minAmount: "20.50",
      maxRedemptions: "3",
      perTeamLimit: "1",
      expiresAt: "2999-01-01",
    });
    expect(c).toMatchObject({ code: "SPRING-25", grantCredits: 50000n, bonusPercent: 10, minAmountCents: 2050n, maxRedemptions: 3, perTeamLimit: 1 });
    expect(c.expiresAt?.toISOString()).toBe("2999-01-01T23:59:59.999Z");
    expect(await t.db.auditLog.findFirst({ where: { action: "coupon.created", targetId: c.id } })).toBeTruthy();

    const bad: [Parameters<typeof make>[0], string][] = [
      [{ code: "ab" }, "code"],
      [{ code: "has space" }, "code"],
      [{ code: code("NOTHING") }, "grantCredits"],
      [{ code: code("PCT"), bonusPercent: "101" }, "bonusPercent"],
      [{ code: code("PCT"), bonusPercent: "12.5" }, "bonusPercent"],
      [{ code: code("NEG"), grantCredits: "-5" }, "grantCredits"],
      [{ code: code("MIN"), bonusPercent: "5", minAmount: "10.005" }, "minAmount"],
      [{ code: code("OLD"), bonusPercent: "5", expiresAt: "2001-01-01" }, "expiresAt"],
      [{ code: code("LIM"), bonusPercent: "5", maxRedemptions: "0" }, "maxRedemptions"],
    ];
    for (const [input, field] of bad) await expect(make(input), JSON.stringify(input)).rejects.toMatchObject({ code: "VALIDATION_FAILED", details: { field } });
    await expect(make({ code: "spring-25", bonusPercent: "5" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});

describe("quoting and applying", () => {
  it("computes the bonus in integers, rounding down", () => {
    expect(couponBonusCredits(2_000_000n, 10)).toBe(200_000n);
    expect(couponBonusCredits(999n, 33)).toBe(329n);
    expect(couponBonusCredits(1n, 99)).toBe(0n);
  });

  it("shows the effect, or a clear reason the code does not apply", async () => {
    const { teamId } = await makeTeam(t.db);
    const both = await make({ code: code("BOTH"), grantCredits: "50000", bonusPercent: "10", minAmount: "20" });
    const q = await quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: both.code.toLowerCase() });
    expect(q).toMatchObject({ credits: 2_000_000n, bonusCredits: 200_000n, couponCredits: 50_000n, totalCredits: 2_250_000n });
    expect(q.coupon?.effect).toBe("+50,000 credits and a 10% bonus (+200,000 credits)");
    await expect(quoteTopUp({ db: t.db, teamId, amountCents: 1000n, couponCode: both.code })).rejects.toMatchObject({
      code: "COUPON_INVALID",
      message: "That code needs a top-up of at least $20.00.",
    });

    const expired = await make({ code: code("EXP"), bonusPercent: "5", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(await checkCoupon({ db: t.db, teamId, code: expired.code, amountCents: 2500n, baseCredits: 1n, now: new Date(Date.now() + 120_000) })).toMatchObject(
      { ok: false, reason: expect.stringMatching(/^That code expired on/) },
    );
    const off = await make({ code: code("OFF"), bonusPercent: "5" });
    await disableCoupon({ db: t.db, couponId: off.id, actorUserId: adminId });
    await expect(quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: off.code })).rejects.toMatchObject({
      message: "That code is no longer active.",
    });
    await expect(quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: "NO-SUCH-CODE" })).rejects.toMatchObject({
      message: expect.stringMatching(/does not exist/),
    });
  });

  it("a code is held by a pending top-up, final when paid, given back when not", async () => {
    const { teamId } = await makeTeam(t.db);
    const c = await make({ code: code("HOLD"), bonusPercent: "10" });
    const first = await startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card", coupon: c.code } });
    expect(first.payment).toMatchObject({ credits: 2_000_000n, bonusCredits: 200_000n, couponId: c.id, status: "PENDING" });
    expect(await t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ redemptionCount: 1 });
    await expect(startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card", coupon: c.code } })).rejects.toMatchObject({
      code: "COUPON_INVALID",
      message: "Your team is already using this code in a checkout that has not finished.",
    });
    await closeTopUp({ db: t.db, paymentId: first.payment.id, status: "CANCELED" });
    expect(await t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ redemptionCount: 0 });
    const again = await startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card", coupon: c.code } });
    expect(again.payment.couponId).toBe(c.id);
  });

  it("two tabs applying one code to two checkouts at once: one gets it, the other a clear reason", async () => {
    for (let round = 0; round < 5; round++) {
      const { teamId } = await makeTeam(t.db);
      const c = await make({ code: code("TABS"), bonusPercent: "10" });
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () => startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card", coupon: c.code } })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results.filter((x) => x.status === "rejected")) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "COUPON_INVALID" });
      expect(await t.db.couponRedemption.count({ where: { couponId: c.id, teamId, status: { not: "RELEASED" } } })).toBe(1);
      expect(await t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ redemptionCount: 1 });
    }
  });

  it("a code with a total limit is never redeemed past it, even when teams race for the last use", async () => {
    const c = await make({ code: code("LAST"), grantCredits: "1000", maxRedemptions: "3" });
    const teams = await Promise.all(Array.from({ length: 8 }, () => makeTeam(t.db)));
    const results = await Promise.allSettled(teams.map((x) => redeemCoupon({ db: t.db, teamId: x.teamId, actorUserId: null, code: c.code })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ redemptionCount: 3 });
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: "COUPON_INVALID", message: "That code has been fully redeemed." });
  });

  it("a grant-only code can be redeemed without paying, once per team, even from two tabs at once", async () => {
    const { teamId } = await makeTeam(t.db);
    const c = await make({ code: code("FREE"), grantCredits: "50000" });
    const results = await Promise.allSettled([1, 2, 3].map(() => redeemCoupon({ db: t.db, teamId, actorUserId: null, code: c.code })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await teamBalance(t.db, teamId)).toBe(50_000n);
    const entry = await t.db.ledgerEntry.findFirstOrThrow({ where: { teamId } });
    expect(entry).toMatchObject({ kind: "COUPON", amount: 50_000n });
    expect((await t.db.creditGrant.findFirstOrThrow({ where: { teamId } })).source).toBe("COUPON");

    const topUpOnly = await make({ code: code("PCTONLY"), bonusPercent: "10" });
    await expect(redeemCoupon({ db: t.db, teamId, actorUserId: null, code: topUpOnly.code })).rejects.toMatchObject({
      code: "COUPON_INVALID",
      message: expect.stringMatching(/applies to a top-up/),
    });
  });

  it("a code allowed several times per team can be redeemed up to its limit after a top-up gave its use back", async () => {
    const { teamId } = await makeTeam(t.db);
    const c = await make({ code: code("MULTI"), grantCredits: "1000", perTeamLimit: "3" });
    const held = await startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card", coupon: c.code } });
    await redeemCoupon({ db: t.db, teamId, actorUserId: null, code: c.code });
    await closeTopUp({ db: t.db, paymentId: held.payment.id, status: "CANCELED" });
    await redeemCoupon({ db: t.db, teamId, actorUserId: null, code: c.code });
    await redeemCoupon({ db: t.db, teamId, actorUserId: null, code: c.code });
    await expect(redeemCoupon({ db: t.db, teamId, actorUserId: null, code: c.code })).rejects.toMatchObject({ code: "COUPON_INVALID" });
    expect(await teamBalance(t.db, teamId)).toBe(3_000n);
    expect(await t.db.coupon.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({ redemptionCount: 3 });
  });

  it("repeated wrong codes from one team are slowed down; other teams are not", async () => {
    const { teamId } = await makeTeam(t.db);
    const other = await makeTeam(t.db);
    const good = await make({ code: code("GOOD"), bonusPercent: "5" });
    for (let i = 0; i < COUPON_MISS_LIMIT; i++) {
      await expect(quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: `WRONG${i}` })).rejects.toMatchObject({ code: "COUPON_INVALID" });
    }
    await expect(quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: "WRONGAGAIN" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringMatching(/Try again in 15 minutes/),
    });
    // Even a right code waits, so guessing cannot continue.
    await expect(quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: good.code })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card", coupon: good.code } })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    await expect(redeemCoupon({ db: t.db, teamId, actorUserId: null, code: good.code })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // A top-up without a code is not affected, nor is another team.
    await expect(startTopUp({ db: t.db, teamId, actorUserId: null, input: { amount: "25", method: "card" } })).resolves.toBeTruthy();
    await expect(quoteTopUp({ db: t.db, teamId: other.teamId, amountCents: 2500n, couponCode: good.code })).resolves.toMatchObject({ bonusCredits: 100_000n });
    // The window passes.
    await t.db.rateLimitBucket.update({ where: { key: `coupon-miss:${teamId}` }, data: { windowStart: new Date(Date.now() - COUPON_MISS_WINDOW_MS - 1000) } });
    await expect(quoteTopUp({ db: t.db, teamId, amountCents: 2500n, couponCode: good.code })).resolves.toMatchObject({ bonusCredits: 100_000n });
  });
});
