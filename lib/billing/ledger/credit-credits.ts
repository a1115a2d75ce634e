import type { CreditGrant, LedgerEntry } from "../../db/generated/client";
import type { CreditSource, LedgerKind } from "../../db/generated/enums";
import { billingConfig, creditExpiry } from "../config";
import { BillingError } from "../errors";
import type { LedgerWriteInput } from "./ledger-write-input";
import { assertIdempotencyKey, assertPositiveCredits } from "./validate";

export type CreditKind = Extract<
  LedgerKind,
  | "TOPUP"
  | "PURCHASE"
  | "AUTO_TOPUP"
  | "PLAN_GRANT"
  | "TRIAL_GRANT"
  | "COUPON"
  | "PROMO_BONUS"
  | "DISPUTE_REVERSAL"
  | "REFUND_REVERSAL"
  | "ADJUSTMENT"
  | "CREDIT_LINE_STATEMENT"
>;

const sourceOfKind: Record<CreditKind, CreditSource> = {
  TOPUP: "TOPUP",
  PURCHASE: "PURCHASE",
  AUTO_TOPUP: "AUTO_TOPUP",
  PLAN_GRANT: "PLAN",
  TRIAL_GRANT: "TRIAL",
  COUPON: "COUPON",
  PROMO_BONUS: "PROMO_BONUS",
  DISPUTE_REVERSAL: "DISPUTE_REVERSAL",
  // A failed refund returns credits as the payment bought them (reconcilePaymentCredits passes the payment's source).
  REFUND_REVERSAL: "TOPUP",
  ADJUSTMENT: "ADJUSTMENT",
  CREDIT_LINE_STATEMENT: "TOPUP",
};

export type CreditCreditsInput = LedgerWriteInput & {
  kind: CreditKind;
  /** Defaults from the kind (PLAN_GRANT → PLAN, TRIAL_GRANT → TRIAL ...). */
  source?: CreditSource;
  /** undefined: the configured rule for the source; null: never expires. */
  expiresAt?: Date | null;
  /** For the "cycle" expiry rule: the end of the subscription period the credits belong to. */
  cycleEnd?: Date;
  /** Defaults to the configured drain priority of the source. */
  priority?: number;
};

/**
 * Adds credits to a team with a grant, in the caller's transaction or its own. Credits arriving while the balance is
 * below zero first repay the drawn credit line; only the rest becomes the grant's remaining. A repeated idempotency
 * key returns the first entry and its grant and writes nothing (IDEMPOTENCY_MISMATCH when the amount or kind differ).
 */
export async function creditCredits(input: CreditCreditsInput): Promise<{ entry: LedgerEntry; grant: CreditGrant | null; duplicate: boolean }> {
  const { db, teamId, amount, kind, idempotencyKey } = input;
  assertPositiveCredits(amount);
  assertIdempotencyKey(idempotencyKey);
  if (!(kind in sourceOfKind)) throw new BillingError("VALIDATION_FAILED", `kind ${kind} does not add credits`, { field: "kind" });
  const config = billingConfig();
  const source = input.source ?? sourceOfKind[kind];
  const now = new Date();
  const expiresAt = input.expiresAt === undefined ? creditExpiry({ source, from: now, cycleEnd: input.cycleEnd, config }) : input.expiresAt;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) {
    throw new BillingError("VALIDATION_FAILED", "expiresAt must be in the future", { field: "expiresAt" });
  }
  const priority = input.priority ?? config.drainPriority[source];

  const rows = await db.$queryRawUnsafe<{ r_entry_id: string; r_grant_id: string | null; r_duplicate: boolean }[]>(
    `SELECT * FROM cd_credit($1, $2::"LedgerKind", $3::"CreditSource", $4::bigint, $5, $6, $7::timestamptz, $8::integer, $9, $10, $11, $12, $13::jsonb, $14::timestamptz)`,
    teamId,
    kind,
    source,
    amount,
    idempotencyKey,
    input.paymentId ?? null,
    expiresAt,
    priority,
    input.actorUserId ?? null,
    input.referenceType ?? null,
    input.referenceId ?? null,
    input.description ?? null,
    input.metadata == null ? null : JSON.stringify(input.metadata),
    input.occurredAt ?? null,
  );
  const row = rows[0];
  if (!row) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const entry = await db.ledgerEntry.findUniqueOrThrow({ where: { id: row.r_entry_id } });
  const grant = row.r_grant_id ? await db.creditGrant.findUnique({ where: { id: row.r_grant_id } }) : null;
  if (row.r_duplicate && (entry.amount !== amount || entry.kind !== kind)) {
    throw new BillingError(
      "IDEMPOTENCY_MISMATCH",
      `Idempotency key ${idempotencyKey} was already used for a different ledger entry (${entry.kind} ${entry.amount}).`,
    );
  }
  return { entry, grant, duplicate: row.r_duplicate };
}
