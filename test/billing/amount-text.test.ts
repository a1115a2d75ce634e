import { describe, expect, it } from "vitest";
import { dollarsToCents } from "../../components/money-input";
import { parseAdjustmentAmount } from "../../lib/billing/adjustments/adjustment-rules";
import { withoutDigitGroups } from "../../lib/billing/amount-text";
import { monthlyDollars } from "../../lib/billing/credit-lines/application-input";
import { planRequestInputSchema } from "../../lib/billing/plans/plan-request-input";
import { parseRefundAmount } from "../../lib/billing/refunds/refund-payment";

// A decimal comma is not a thousands separator: "1,50" typed for $1.50 must be refused, never read as $150.
describe("amounts as typed, with digit groups", () => {
  it("drops separators only where they group thousands", () => {
    expect(withoutDigitGroups("1,250.50")).toBe("1250.50");
    expect(withoutDigitGroups("2 000 000")).toBe("2000000");
    expect(withoutDigitGroups("+1_000")).toBe("+1000");
    expect(withoutDigitGroups("-12,345,678")).toBe("-12345678");
    for (const text of ["1,50", "-5,00", "12,3456", "1,2,3", "1,000.5,0", ",100", "100,", "1,,000"]) expect(withoutDigitGroups(text), text).toBe(text);
  });

  it("every money parser refuses a decimal comma and reads grouped thousands", () => {
    expect(dollarsToCents("1,50")).toBeNull();
    expect(dollarsToCents("1,250.50")).toBe(125_050n);

    expect(() => parseRefundAmount("1,50", "usd")).toThrow(/amount to refund/);
    expect(parseRefundAmount("1,000.25", "usd")).toBe(100_025n);

    expect(() => parseAdjustmentAmount("-5,00")).toThrow(/whole number of credits/);
    expect(parseAdjustmentAmount("-5,000")).toBe(-5_000n);

    const line = monthlyDollars("Limit");
    expect(line.safeParse("1,50").success).toBe(false);
    expect(line.parse("$1,500.50")).toBe(150_050n);

    const request = (expectedMonthlyCredits: string) =>
      planRequestInputSchema.safeParse({ company: "Acme", contactEmail: "cfo@acme.com", expectedMonthlyCredits, message: "" });
    expect(request("10,00").success).toBe(false);
    expect(request("10,000,000").data?.expectedMonthlyCredits).toBe(10_000_000n);
  });
});
