import type { LedgerKind } from "../../db/generated/enums";

// The `type` of a billing history item (GET /api/v3/account/billings): the seed's `topup` and `usage`, and a name of
// its own for every other way credits change. Client-safe. The SQL function cd_history_type (prisma/migrations/
// 20261208010000_billing_history_seq) holds the same table; test/api/billings-api.test.ts checks they agree.

export const HISTORY_TYPES = ["topup", "usage", "grant", "refund", "dispute", "expiry", "adjustment", "statement"] as const;
export type HistoryType = (typeof HISTORY_TYPES)[number];

export const HISTORY_TYPE_OF_KIND: Record<LedgerKind, HistoryType> = {
  TOPUP: "topup",
  PURCHASE: "topup",
  AUTO_TOPUP: "topup",
  USAGE: "usage",
  PLAN_GRANT: "grant",
  TRIAL_GRANT: "grant",
  COUPON: "grant",
  PROMO_BONUS: "grant",
  REFUND: "refund",
  REFUND_REVERSAL: "refund",
  DISPUTE: "dispute",
  DISPUTE_REVERSAL: "dispute",
  EXPIRY: "expiry",
  ADJUSTMENT: "adjustment",
  CREDIT_LINE_STATEMENT: "statement",
};
