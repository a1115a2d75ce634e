import { describe, expect, it } from "vitest";
import { creditExpiry, endOfUtcMonth, parseBillingConfig } from "../../lib/billing/config";
import { z } from "zod";
import { money } from "../../lib/edge/contract";
import { centsToCredits, centsToUsd, creditsToCents, formatCents, formatCredits, parseUsdToCents } from "../../lib/billing/money";

describe("money", () => {
  it("parses dollar amounts into cents without floats", () => {
    expect(parseUsdToCents("500")).toBe(50000n);
    expect(parseUsdToCents("500.00")).toBe(50000n);
    expect(parseUsdToCents("84.5")).toBe(8450n);
    expect(parseUsdToCents(0.29)).toBe(29n);
    expect(parseUsdToCents(1000)).toBe(100000n);
    expect(parseUsdToCents(1.1)).toBe(110n);
    for (const bad of ["500.001", "-5", "1e3", "", "abc", "5.", ".5", 500.001, Number.NaN, Number.POSITIVE_INFINITY, 1e21, "10000000000000"]) {
      expect(() => parseUsdToCents(bad, "monthly_cap_usd"), String(bad)).toThrow(/monthly_cap_usd/);
    }
  });

  it("converts between cents and credits at the configured rate", () => {
    expect(centsToCredits(10000n, 80000n)).toBe(8_000_000n); // $100 → 8M credits (the seed's bundle)
    expect(centsToCredits(1n, 80000n)).toBe(800n);
    expect(centsToCredits(1n, 150n)).toBe(1n); // rounds down
    expect(creditsToCents(8_000_000n, 80000n)).toBe(10000n);
    expect(creditsToCents(400n, 80000n)).toBe(1n); // half a cent rounds up
    expect(creditsToCents(399n, 80000n)).toBe(0n);
    expect(creditsToCents(-400n, 80000n)).toBe(-1n);
  });

  it("formats and serialises", () => {
    expect(formatCents(123456n)).toBe("$1,234.56");
    expect(formatCents(-5n)).toBe("-$0.05");
    expect(formatCents(100n, "eur")).toBe("€1.00");
    expect(formatCredits(8_000_000n)).toBe("8,000,000");
    expect(formatCredits(-1234n)).toBe("-1,234");
    expect(centsToUsd(8450n)).toBe(84.5);
    expect(centsToUsd(-1n)).toBe(-0.01);
    // The one JSON encoding of money: a number while it is a safe integer, else its exact decimal string.
    expect(z.encode(money(), 42n)).toBe(42);
    expect(z.encode(money(), 2n ** 60n)).toBe("1152921504606846976");
    expect(z.decode(money(), 42)).toBe(42n);
    expect(z.decode(money(), "1152921504606846976")).toBe(2n ** 60n);
    expect(z.safeDecode(money(), 1.5).success).toBe(false);
  });
});

describe("billing configuration", () => {
  it("has the documented defaults", () => {
    const c = parseBillingConfig({});
    expect(c.creditsPerDollar).toBe(80000n);
    expect(c.trialCredits).toBe(100000n);
    expect(c.expiry.TOPUP).toEqual({ kind: "never" });
    expect(c.expiry.PLAN).toEqual({ kind: "cycle" });
    expect(c.expiry.TRIAL).toEqual({ kind: "days", days: 30 });
    expect(c.expiry.COUPON).toEqual({ kind: "days", days: 90 });
    expect(c.drainPriority.PLAN).toBeLessThan(c.drainPriority.TOPUP);
    expect(c.drainPriority.TRIAL).toBeLessThan(c.drainPriority.PURCHASE);
    expect(c.topUpMinCents).toBe(500n);
    expect(c.topUpMaxCents).toBe(1_000_000n);
    expect(c.paymentMethods).toEqual(["card", "paypal", "wechat_pay", "alipay", "naver_pay"]);
  });

  it("reads overrides and names a bad variable", () => {
    const c = parseBillingConfig({ CREDITS_PER_DOLLAR: "1000", CREDIT_EXPIRY_TOPUP: "365d", PAYMENT_METHODS: "card, alipay", TRIAL_CREDITS: "0" });
    expect(c.creditsPerDollar).toBe(1000n);
    expect(c.expiry.TOPUP).toEqual({ kind: "days", days: 365 });
    expect(c.paymentMethods).toEqual(["card", "alipay"]);
    expect(c.trialCredits).toBe(0n);
    expect(() => parseBillingConfig({ CREDITS_PER_DOLLAR: "1.5" })).toThrow(/CREDITS_PER_DOLLAR/);
    expect(() => parseBillingConfig({ CREDIT_EXPIRY_TRIAL: "soon" })).toThrow(/CREDIT_EXPIRY_TRIAL/);
    expect(() => parseBillingConfig({ PAYMENT_METHODS: "card,bitcoin" })).toThrow(/PAYMENT_METHODS/);
    expect(() => parseBillingConfig({ TOPUP_MIN_CENTS: "1000", TOPUP_MAX_CENTS: "500" })).toThrow(/TOPUP_MAX_CENTS/);
  });

  it("computes expiry per source", () => {
    const config = parseBillingConfig({});
    const from = new Date("2026-04-10T12:00:00Z");
    expect(creditExpiry({ source: "TOPUP", from, config })).toBeNull();
    expect(creditExpiry({ source: "TRIAL", from, config })?.toISOString()).toBe("2026-05-10T12:00:00.000Z");
    expect(creditExpiry({ source: "PLAN", from, config })?.toISOString()).toBe("2026-05-01T00:00:00.000Z");
    const cycleEnd = new Date("2026-05-03T08:00:00Z");
    expect(creditExpiry({ source: "PLAN", from, cycleEnd, config })).toBe(cycleEnd);
    expect(endOfUtcMonth(new Date("2026-12-31T23:59:59Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});
