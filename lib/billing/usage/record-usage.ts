import { findUnstorableText, UNSTORABLE_TEXT } from "../../auth/input-text";
import type { Db, Tx } from "../../db/client";
import { BillingError } from "../errors";
import { applyDebits, type DebitOutcome, type DebitRejectCode, type DebitRequest } from "../ledger/apply-debits";
import { debitRejection } from "../ledger/debit-rejection";
import { isRootClient } from "../with-tx";
import { debitBatcherFor } from "./debit-batcher";
import { MAX_USAGE_EVENTS, MAX_USAGE_QUANTITY } from "./limits";
import { getPriceTable } from "./price-table";

export { MAX_USAGE_EVENTS, MAX_USAGE_QUANTITY };
const MAX_METADATA_BYTES = 2048;
const FUTURE_SKEW_MS = 5 * 60_000;
/** More credits than any balance holds (ledger amounts stay under a quarter of PostgreSQL's bigint, ledger/validate.ts). */
const MAX_REQUEST_CREDITS = 9_223_372_036_854_775_807n / 4n;
const EARLIEST = Date.UTC(2020, 0, 1);

export type UsageEvent = {
  /** The caller's key, 1–200 characters, unique per team; a repeat is answered "duplicate" and charged once. */
  idempotencyKey: string;
  operation: string;
  quantity: number | bigint;
  timestamp?: Date;
  metadata?: Record<string, unknown>;
};

export type UsageEventResult = {
  idempotencyKey: string;
  operation: string;
  quantity: bigint;
  status: "debited" | "duplicate" | "rejected";
  entryId: string | null;
  credits: bigint | null;
  balanceAfter: bigint | null;
  error: { code: DebitRejectCode; message: string } | null;
};

const fail = (field: string, message: string): never => {
  throw new BillingError("VALIDATION_FAILED", `${field}: ${message}`, { field });
};

/**
 * Turns usage events into debits at the operation price table (credits = quantity × credits per unit), in order.
 * Validates everything first and throws VALIDATION_FAILED naming the field (events[i].operation ...) before any
 * write. Then each event is debited, a duplicate of its key, or rejected with INSUFFICIENT_CREDITS,
 * BUDGET_HARD_CAP_HIT, API_KEY_LIMIT_REACHED (the key's spending limit) or SUBSCRIPTION_UNPAID (a failed renewal past its grace period). Ledger keys are namespaced ("usage:<key>") so callers can never collide with system entries.
 */
export async function recordUsage({
  db,
  teamId,
  apiKeyId = null,
  events,
  fieldPrefix = "events",
  now,
}: {
  db: Tx | Db;
  teamId: string;
  apiKeyId?: string | null;
  events: readonly UsageEvent[];
  /** How fields are named in errors: "events" gives events[3].quantity; "" gives quantity (a single-event body). */
  fieldPrefix?: string;
  now?: Date;
}): Promise<UsageEventResult[]> {
  if (events.length < 1 || events.length > MAX_USAGE_EVENTS) fail(fieldPrefix || "events", `send 1 to ${MAX_USAGE_EVENTS} events`);
  const name = (i: number, f: string) => (fieldPrefix ? `${fieldPrefix}[${i}].${f}` : f);
  let prices = await getPriceTable({ db });
  if (events.some((e) => !prices.has(e.operation))) prices = await getPriceTable({ db, refresh: true });
  const clock = (now ?? new Date()).getTime();
  const debits: DebitRequest[] = events.map((e, i) => {
    if (typeof e.idempotencyKey !== "string" || e.idempotencyKey.length < 1 || e.idempotencyKey.length > 200)
      fail(name(i, "idempotency_key"), "must be 1 to 200 characters");
    if (e.idempotencyKey.includes("\u0000")) fail(name(i, "idempotency_key"), "must not contain NUL characters");
    const price = prices.get(e.operation);
    if (price === undefined) fail(name(i, "operation"), `unknown operation "${String(e.operation).slice(0, 64)}"`);
    const q = typeof e.quantity === "bigint" ? e.quantity : Number.isSafeInteger(e.quantity) ? BigInt(e.quantity) : null;
    if (q === null || q < 1n || q > BigInt(MAX_USAGE_QUANTITY)) fail(name(i, "quantity"), `must be a whole number from 1 to ${MAX_USAGE_QUANTITY}`);
    if (q! * price! > MAX_REQUEST_CREDITS) fail(name(i, "quantity"), `costs ${q! * price!} credits, more than any balance can hold`);
    if (e.timestamp !== undefined) {
      const at = e.timestamp.getTime();
      if (!Number.isFinite(at) || at > clock + FUTURE_SKEW_MS || at < EARLIEST) fail(name(i, "timestamp"), "must be a time since 2020 and not in the future");
    }
    if (e.metadata !== undefined) {
      const json = JSON.stringify(e.metadata);
      if (Buffer.byteLength(json) > MAX_METADATA_BYTES) fail(name(i, "metadata"), `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
      // PostgreSQL's jsonb cannot hold NUL (nor a lone surrogate); refusing it here keeps one event from failing a whole
      // batch. The text is looked at, not its JSON: the six characters \u0000 typed as text are fine.
      if (findUnstorableText(e.metadata) !== null) fail(name(i, "metadata"), UNSTORABLE_TEXT);
    }
    return {
      idempotencyKey: `usage:${e.idempotencyKey}`,
      amount: q! * price!,
      operation: e.operation,
      quantity: q!,
      apiKeyId,
      occurredAt: e.timestamp ?? null,
      metadata: e.metadata ?? null,
    };
  });
  // The database sums a request's debits in a bigint: a total past any balance is refused here, not by its overflow.
  if (debits.reduce((sum, d) => sum + d.amount, 0n) > MAX_REQUEST_CREDITS)
    fail(fieldPrefix || "events", "together cost more credits than any balance can hold");
  const outcomes: DebitOutcome[] = isRootClient(db) && !now ? await debitBatcherFor(db).submit(teamId, debits) : await applyDebits({ db, teamId, debits, now });
  return outcomes.map((o, i) => {
    const e = events[i]!;
    const base = { idempotencyKey: e.idempotencyKey, operation: e.operation, quantity: debits[i]!.quantity! };
    return o.status === "rejected"
      ? { ...base, status: o.status, entryId: null, credits: null, balanceAfter: null, error: { code: o.code, message: debitRejection(o.code).message } }
      : { ...base, status: o.status, entryId: o.entryId, credits: o.amount, balanceAfter: o.balanceAfter, error: null };
  });
}
