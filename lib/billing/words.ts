import type { InvoiceStatus, LedgerKind, PaymentKind, PaymentStatus, StatementKind, SubscriptionStatus } from "../db/generated/enums";
import type { PaymentMethod } from "./config";

// The one place internal codes become words people read (pages, invoices, emails, ledger descriptions). Client-safe:
// type imports only. A code none of these lists knows still reads as words (codeWords), never as `wechat_pay`.

export const PAYMENT_METHOD_WORDS: Record<PaymentMethod, string> = {
  card: "Card",
  paypal: "PayPal",
  wechat_pay: "WeChat Pay",
  alipay: "Alipay",
  naver_pay: "Naver Pay",
  kakao_pay: "Kakao Pay",
};

/** Which way a payment came: the page it was started from, or the automatic charge. */
export const PAYMENT_KIND_WORDS: Record<PaymentKind, string> = {
  TOPUP: "Top Up",
  PURCHASE: "Buy Credit",
  AUTO_TOPUP: "Auto top-up",
};

export const PAYMENT_STATUS_WORDS: Record<PaymentStatus, string> = {
  PENDING: "Pending",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  EXPIRED: "Expired",
  CANCELED: "Canceled",
  REFUNDED: "Refunded",
  PARTIALLY_REFUNDED: "Partially refunded",
  DISPUTED: "Disputed",
};

export const LEDGER_KIND_WORDS: Record<LedgerKind, string> = {
  TOPUP: "Top Up",
  PURCHASE: "Buy Credit",
  AUTO_TOPUP: "Auto top-up",
  USAGE: "Usage",
  PLAN_GRANT: "Plan credits",
  TRIAL_GRANT: "Trial credits",
  COUPON: "Coupon",
  PROMO_BONUS: "Promo bonus",
  REFUND: "Refund",
  DISPUTE: "Dispute",
  DISPUTE_REVERSAL: "Dispute released",
  REFUND_REVERSAL: "Refund reversed",
  EXPIRY: "Expired",
  ADJUSTMENT: "Adjustment",
  CREDIT_LINE_STATEMENT: "Statement",
};

export const STATEMENT_KIND_WORDS: Record<StatementKind, string> = { OVERAGE: "Overage statement", CREDIT_LINE: "Credit line statement" };

export const SUBSCRIPTION_STATUS_WORDS: Record<SubscriptionStatus, string> = {
  ACTIVE: "Active",
  TRIALING: "Trialing",
  PAST_DUE: "Past due",
  CANCELED: "Canceled",
  UNPAID: "Unpaid",
  INCOMPLETE: "Incomplete",
};

export const INVOICE_STATUS_WORDS: Record<InvoiceStatus, string> = {
  DRAFT: "Draft",
  OPEN: "Open",
  PAID: "Paid",
  VOID: "Void",
  UNCOLLECTIBLE: "Uncollectible",
};

/** Ledger kinds whose credits stand for money paid or given back, where a dollar value beside them helps. */
export const MONEY_LEDGER_KINDS: readonly LedgerKind[] = [
  "TOPUP",
  "PURCHASE",
  "AUTO_TOPUP",
  "REFUND",
  "DISPUTE",
  "DISPUTE_REVERSAL",
  "REFUND_REVERSAL",
  "CREDIT_LINE_STATEMENT",
];

/** Any code as words: "PARTIALLY_REFUNDED" → "Partially refunded", "us_bank_account" → "Us bank account". */
export function codeWords(code: string): string {
  const s = code
    .replace(/[_.-]+/g, " ")
    .trim()
    .toLowerCase();
  return s ? s[0]!.toUpperCase() + s.slice(1) : "—";
}

/** Looks a code up in one of the lists above (either case), falling back to codeWords. */
function lookup(table: Record<string, string>, code: string): string {
  return own(table, code) ?? own(table, code.toUpperCase()) ?? own(table, code.toLowerCase()) ?? codeWords(code);
}

/** A list's own entry only: a code such as "__proto__" or "constructor" must not read Object.prototype's. */
const own = (table: Record<string, string>, key: string): string | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

export const paymentMethodWords = (method: string) => lookup(PAYMENT_METHOD_WORDS, method);
export const paymentKindWords = (kind: string) => lookup(PAYMENT_KIND_WORDS, kind);
export const paymentStatusWords = (status: string) => lookup(PAYMENT_STATUS_WORDS, status);
export const ledgerKindWords = (kind: string) => lookup(LEDGER_KIND_WORDS, kind);
export const statementKindWords = (kind: string) => lookup(STATEMENT_KIND_WORDS, kind);
export const subscriptionStatusWords = (status: string) => lookup(SUBSCRIPTION_STATUS_WORDS, status);
export const invoiceStatusWords = (status: string) => lookup(INVOICE_STATUS_WORDS, status);

/** A payment that brought no credits and never will: failed, expired or canceled before it was paid. */
export const paymentBroughtNothing = (status: string) => ["FAILED", "EXPIRED", "CANCELED"].includes(status.toUpperCase());

const METHOD_IN_PARENS = new RegExp(`\\((${Object.keys(PAYMENT_METHOD_WORDS).join("|")})\\)`, "g");

/** A ledger entry's stored description as people read it: entries written before it named methods in words said "(wechat_pay)". */
export const readableDetails = (text: string) => text.replace(METHOD_IN_PARENS, (_m, code: string) => `(${paymentMethodWords(code)})`);

/** API field names as a form calls them, where codeWords would not do. */
export const FIELD_WORDS: Record<string, string> = {
  monthly_cap_usd: "Monthly cap",
  alert_email: "Alert email",
  hard_cap: "Kind of cap",
  allow_soft_overage: "Soft cap",
  amount_usd: "Amount",
  maxPerMonth: "Monthly limit",
  idempotency_key: "Idempotency key",
};

/** A field path as words: "billing.tax_id" → "Tax id", "events[3].quantity" → "Quantity", "maxPerMonth" → "Monthly limit". */
export function fieldWords(field: string): string {
  const last =
    field
      .replace(/\[\d+\]/g, "")
      .split(".")
      .pop() ?? field;
  return own(FIELD_WORDS, last) ?? codeWords(last.replace(/([a-z])([A-Z])/g, "$1 $2"));
}

/**
 * An error record's message as a screen shows it. The API answers "monthly_cap_usd: must be …" for programs; a person
 * reads "Monthly cap must be …", and a message that is already a sentence ("name: Give the team a name …") loses the code.
 */
export function screenMessage(record: { message: string; field?: string }): string {
  const { message, field } = record;
  if (!field) return message;
  for (const prefix of [`${field}: `, `${field}:`, `${field} `]) {
    if (!message.startsWith(prefix)) continue;
    const rest = message.slice(prefix.length).trimStart();
    return /^[A-Z]/.test(rest) ? rest : `${fieldWords(field)} ${rest}`;
  }
  return message;
}
