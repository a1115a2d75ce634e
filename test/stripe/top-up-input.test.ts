import { describe, expect, it } from "vitest";
import { parseBillingConfig } from "../../lib/billing/config";
import { assertTopUpMethod, topUpMethodOptions } from "../../lib/billing/topups/payment-methods";
import { parseTopUpAmount } from "../../lib/billing/topups/parse-top-up-amount";

const config = parseBillingConfig({});

describe("top-up amounts", () => {
  it("takes dollars as typed and returns integer cents", () => {
    expect(parseTopUpAmount("25", config)).toBe(2500n);
    expect(parseTopUpAmount("25.5", config)).toBe(2550n);
    expect(parseTopUpAmount(" 25.50 ", config)).toBe(2550n);
    expect(parseTopUpAmount("5", config)).toBe(500n);
    expect(parseTopUpAmount("10000", config)).toBe(1_000_000n);
    expect(parseTopUpAmount(25.5, config)).toBe(2550n);
  });

  it("refuses fractional cents, exponents, signs, words, blanks, and amounts outside the limits, naming the field", () => {
    for (const bad of ["25.505", "1e3", "-5", "+5", "abc", "", "  ", "25,00", "0x10", "Infinity", "NaN", "25.", ".5"]) {
      expect(() => parseTopUpAmount(bad, config), bad).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED", details: { field: "amount" } }));
    }
    for (const bad of [null, undefined, {}, [], true, Number.NaN, 0.1 + 0.2])
      expect(() => parseTopUpAmount(bad, config)).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED" }));
    expect(() => parseTopUpAmount("4.99", config)).toThrow("The minimum top-up is $5.00.");
    expect(() => parseTopUpAmount("10000.01", config)).toThrow("The maximum top-up is $10,000.00.");
  });
});

describe("payment methods", () => {
  it("offers the enabled methods valid for the currency, and says why the others cannot be used", () => {
    const options = topUpMethodOptions({ config });
    expect(options.map((o) => [o.method, o.available])).toEqual([
      ["card", true],
      ["paypal", true],
      ["wechat_pay", true],
      ["alipay", true],
      ["naver_pay", false],
    ]);
    expect(options.find((o) => o.method === "naver_pay")?.reason).toBe("Naver Pay charges only in Korean won (KRW), and top-ups here are priced in USD.");
    // In KRW Naver Pay works; WeChat Pay and Alipay cannot be saved for later (off-session) charges.
    expect(topUpMethodOptions({ config, currency: "krw" }).find((o) => o.method === "naver_pay")?.available).toBe(true);
    const saved = topUpMethodOptions({ config, flow: "saved" });
    expect(saved.find((o) => o.method === "alipay")?.reason).toMatch(/only be used for one-off payments/);
    expect(saved.find((o) => o.method === "card")?.available).toBe(true);
  });

  it("refuses a method that is disabled in configuration, unknown, or unusable", () => {
    const cardOnly = parseBillingConfig({ PAYMENT_METHODS: "card,naver_pay" });
    expect(assertTopUpMethod("card", { config: cardOnly })).toBe("card");
    expect(() => assertTopUpMethod("paypal", { config: cardOnly })).toThrow("That payment method is not enabled. Choose one of: Card.");
    expect(() => assertTopUpMethod("naver_pay", { config: cardOnly })).toThrow(/Korean won/);
    expect(() => assertTopUpMethod(42, { config })).toThrow(expect.objectContaining({ code: "VALIDATION_FAILED", details: { field: "method" } }));
  });
});
