import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PaymentHistory } from "../../app/t/[team]/top-up/payment-history";
import { LedgerTable } from "../../components/ledger-table";
import { PaymentStatusBadge } from "../../components/payment-status-badge";
import { describeAudit } from "../../components/audit/describe-audit";
import { PAYMENT_METHODS } from "../../lib/billing/config";
import { formatCount } from "../../lib/billing/currency";
import { entryCents } from "../../lib/billing/money";
import type { PaymentView } from "../../lib/billing/payments/payment-view";
import {
  codeWords,
  fieldWords,
  INVOICE_STATUS_WORDS,
  LEDGER_KIND_WORDS,
  ledgerKindWords,
  PAYMENT_KIND_WORDS,
  PAYMENT_METHOD_WORDS,
  PAYMENT_STATUS_WORDS,
  paymentBroughtNothing,
  paymentKindWords,
  paymentMethodWords,
  paymentStatusWords,
  readableDetails,
  screenMessage,
  STATEMENT_KIND_WORDS,
  SUBSCRIPTION_STATUS_WORDS,
} from "../../lib/billing/words";
import { InvoiceStatus, LedgerKind, PaymentKind, PaymentStatus, StatementKind, SubscriptionStatus } from "../../lib/db/generated/enums";

// A code as it must never reach a screen: snake_case or SCREAMING_CASE (two or more letters, an underscore, more letters).
const RAW_CODE =
  /\b(?:[a-z]+_[a-z_]+|[A-Z]{2,}_[A-Z_]+|TOPUP|PURCHASE|SUCCEEDED|PENDING|FAILED|EXPIRED|CANCELED|REFUNDED|DISPUTED|USAGE|EXPIRY|ADJUSTMENT|COUPON)\b/;
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/<!-- -->/g, "");

describe("words for internal codes", () => {
  const tables: [string, Record<string, string>, readonly string[]][] = [
    ["payment method", PAYMENT_METHOD_WORDS, PAYMENT_METHODS],
    ["payment kind", PAYMENT_KIND_WORDS, Object.values(PaymentKind)],
    ["payment status", PAYMENT_STATUS_WORDS, Object.values(PaymentStatus)],
    ["ledger kind", LEDGER_KIND_WORDS, Object.values(LedgerKind)],
    ["statement kind", STATEMENT_KIND_WORDS, Object.values(StatementKind)],
    ["subscription status", SUBSCRIPTION_STATUS_WORDS, Object.values(SubscriptionStatus)],
    ["invoice status", INVOICE_STATUS_WORDS, Object.values(InvoiceStatus)],
  ];

  it.each(tables)("every %s has words of its own, none of them a code", (_name, table, codes) => {
    expect(Object.keys(table).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const w = table[code]!;
      expect(w, code).toMatch(/^[A-Z][A-Za-z -]+$/);
      expect(w, code).not.toMatch(RAW_CODE);
      expect(w).not.toBe(code);
    }
  });

  it("says the words the issue asks for", () => {
    expect(paymentMethodWords("wechat_pay")).toBe("WeChat Pay");
    expect(paymentMethodWords("naver_pay")).toBe("Naver Pay");
    expect(paymentStatusWords("PARTIALLY_REFUNDED")).toBe("Partially refunded");
    expect(paymentStatusWords("partially_refunded")).toBe("Partially refunded");
    expect(ledgerKindWords("CREDIT_LINE_STATEMENT")).toBe("Statement");
    expect(paymentKindWords("TOPUP")).toBe("Top Up");
    expect(paymentKindWords("PURCHASE")).toBe("Buy Credit");
    expect(paymentKindWords("AUTO_TOPUP")).toBe("Auto top-up");
  });

  it("reads a code no list knows as words, never as the code", () => {
    expect(paymentMethodWords("us_bank_account")).toBe("Us bank account");
    expect(ledgerKindWords("SOMETHING_NEW")).toBe("Something new");
    expect(codeWords("")).toBe("—");
    for (const c of ["us_bank_account", "SOMETHING_NEW", "a.b_c"]) expect(codeWords(c)).not.toMatch(RAW_CODE);
  });

  it("rewrites a stored description that named the method by its code", () => {
    expect(readableDetails("Top-up $100.00 (wechat_pay)")).toBe("Top-up $100.00 (WeChat Pay)");
    expect(readableDetails("Top-up $5.00 (card) and (naver_pay)")).toBe("Top-up $5.00 (Card) and (Naver Pay)");
    // Only a known method in parentheses: other text stays as written.
    expect(readableDetails("matmul × 3 · card game")).toBe("matmul × 3 · card game");
  });

  it("shows an error record's message without the field code in front", () => {
    expect(screenMessage({ message: "name: Give the team a name of at most 60 characters", field: "name" })).toBe(
      "Give the team a name of at most 60 characters",
    );
    expect(screenMessage({ message: "monthly_cap_usd must be more than 0", field: "monthly_cap_usd" })).toBe("Monthly cap must be more than 0");
    expect(screenMessage({ message: "events[3].quantity: must be a whole number", field: "events[3].quantity" })).toBe("Quantity must be a whole number");
    expect(screenMessage({ message: "maxPerMonth: Too big", field: "maxPerMonth" })).toBe("Too big");
    expect(fieldWords("billing.tax_id")).toBe("Tax id");
    // No field, or a message that does not start with it: unchanged.
    expect(screenMessage({ message: "Your card was declined." })).toBe("Your card was declined.");
    expect(screenMessage({ message: "That code has expired.", field: "coupon" })).toBe("That code has expired.");
    // A hostile field or code that names something of Object.prototype reads as words, not as "[object Object]".
    expect(screenMessage({ message: "__proto__: is not a known field", field: "__proto__" })).toBe("Proto is not a known field");
    expect(fieldWords("constructor")).toBe("Constructor");
    expect(paymentMethodWords("constructor")).toBe("Constructor");
    expect(paymentStatusWords("__proto__")).toBe("Proto");
  });

  it("knows which payments brought nothing", () => {
    for (const s of ["FAILED", "EXPIRED", "CANCELED", "failed", "expired", "canceled"]) expect(paymentBroughtNothing(s), s).toBe(true);
    for (const s of ["PENDING", "SUCCEEDED", "REFUNDED", "PARTIALLY_REFUNDED", "DISPUTED", "succeeded"]) expect(paymentBroughtNothing(s), s).toBe(false);
  });

  it("formats counts and values money entries only", () => {
    expect(formatCount(1579)).toBe("1,579");
    expect(formatCount(1n)).toBe("1");
    expect(entryCents({ kind: "TOPUP", amount: 8_000_000n }, 80_000n)).toBe(10_000n);
    expect(entryCents({ kind: "REFUND", amount: -4_000_000n }, 80_000n)).toBe(-5_000n);
    expect(entryCents({ kind: "USAGE", amount: -8_000_000n }, 80_000n)).toBeNull();
    expect(entryCents({ kind: "TRIAL_GRANT", amount: 8_000_000n }, 80_000n)).toBeNull();
  });
});

describe("screens that list payments and ledger entries", () => {
  const payment = (status: PaymentView["status"], method: string, kindLabel: string): PaymentView => ({
    id: `pay_${status}`,
    createdAt: new Date("2026-12-01T10:00:00Z"),
    method,
    methodLabel: paymentMethodWords(method),
    kindLabel,
    amountCents: 10_000n,
    currency: "usd",
    credits: 8_000_000n,
    bonusCredits: 0n,
    couponCredits: 0n,
    totalCredits: 8_000_000n,
    status,
    failureMessage: status === "failed" ? "Your card was declined." : null,
    refundedCents: 0n,
  });

  it("payment history says which way each payment came, in words, and a failed payment shows no credits", () => {
    const statuses = Object.values(PaymentStatus).map((s) => s.toLowerCase() as PaymentView["status"]);
    const items = statuses.map((s, i) => payment(s, PAYMENT_METHODS[i % PAYMENT_METHODS.length]!, Object.values(PAYMENT_KIND_WORDS)[i % 3]!));
    const html = renderToStaticMarkup(
      createElement(PaymentHistory, { page: { items, page: 1, pageCount: 1, pageSize: 10, total: items.length }, basePath: "/t/x/top-up" }),
    );
    expect(text(html)).not.toMatch(RAW_CODE);
    for (const w of [...Object.values(PAYMENT_KIND_WORDS), "WeChat Pay", "Naver Pay", "Partially refunded"]) expect(html).toContain(w);

    const rows = html.split('data-testid="payment-row"').slice(1);
    expect(rows).toHaveLength(statuses.length);
    rows.forEach((row, i) => {
      const shown = row.includes("8,000,000");
      expect(shown, statuses[i]).toBe(!paymentBroughtNothing(statuses[i]!));
    });
  });

  it("a status badge in either case is words", () => {
    for (const s of Object.values(PaymentStatus)) {
      for (const code of [s, s.toLowerCase()]) expect(text(renderToStaticMarkup(createElement(PaymentStatusBadge, { status: code })))).not.toMatch(RAW_CODE);
    }
  });

  it("the ledger table names every kind in words and shows dollars beside money entries", () => {
    const rows = Object.values(LedgerKind).map((kind, i) => ({
      id: `le_${i}`,
      createdAt: new Date("2026-12-01T10:00:00Z"),
      kind,
      details: kind === "TOPUP" ? "Top-up $100.00 (wechat_pay)" : null,
      amount: kind === "USAGE" ? -1_579n : 8_000_000n,
      amountCents: entryCents({ kind, amount: 8_000_000n }, 80_000n),
      balanceAfter: 16_000_000n,
    }));
    const html = renderToStaticMarkup(createElement(LedgerTable, { rows, caption: "c", rowTestId: "r" }));
    expect(text(html)).not.toMatch(RAW_CODE);
    expect(html).toContain("WeChat Pay");
    const byKind = new Map(
      html
        .split('data-testid="r"')
        .slice(1)
        .map((row, i) => [rows[i]!.kind, row]),
    );
    expect(byKind.get("TOPUP")).toContain("$100.00");
    expect(byKind.get("USAGE")).not.toContain("$");
    expect(byKind.get("USAGE")).toContain("-1,579");
  });

  it("the audit log names payment kinds and statuses in words", () => {
    const paid = describeAudit("payment.succeeded", { amountCents: "2500", currency: "usd", kind: "AUTO_TOPUP", credits: "2000000" });
    expect(paid.what).toBe("Payment of $25.00 succeeded (Auto top-up): 2,000,000 credits added");
    const refunded = describeAudit("payment.refunded", { amountCents: "2500", before: { status: "SUCCEEDED" }, after: { status: "PARTIALLY_REFUNDED" } });
    expect(refunded.changes).toContainEqual({ label: "Status", before: "succeeded", after: "partially refunded" });
  });
});
