import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { LedgerKind } from "../../db/generated/enums";
import { listEntries } from "./list-entries";

/** The History page's filters: which ledger kinds each shows (none: every kind). */
export const HISTORY_FILTERS = {
  all: [],
  purchases: ["TOPUP", "PURCHASE", "AUTO_TOPUP"],
  usage: ["USAGE"],
  grants: ["PLAN_GRANT", "TRIAL_GRANT", "COUPON", "PROMO_BONUS"],
  other: ["REFUND", "DISPUTE", "DISPUTE_REVERSAL", "REFUND_REVERSAL", "EXPIRY", "ADJUSTMENT", "CREDIT_LINE_STATEMENT"],
} as const satisfies Record<string, readonly LedgerKind[]>;

export type HistoryFilter = keyof typeof HISTORY_FILTERS;

type ReadHistoryInput = { db: Tx; actor: Actor; filter: HistoryFilter; cursor: string | null; limit?: number };

/**
 * A page of the actor's team's ledger for the History page, newest first (listEntries, keyset pages): every member
 * may read it (team:read). A cursor that is not one of ours is VALIDATION_FAILED.
 */
export async function readHistory({ db, actor, filter, cursor, limit = 50 }: ReadHistoryInput) {
  requirePermission(actor, "team:read");
  return listEntries({ db, teamId: actor.teamId, kinds: [...HISTORY_FILTERS[filter]], cursor, limit });
}
