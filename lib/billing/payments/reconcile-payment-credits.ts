import type { Tx } from "../../db/client";
import type { LedgerEntry, Payment, PaymentMoneyFact } from "../../db/generated/client";
import type { CreditSource, PaymentStatus } from "../../db/generated/enums";
import { clawbackCredits } from "../ledger/clawback-credits";
import { creditCredits } from "../ledger/credit-credits";
import { formatCents } from "../money";
import { emitPaymentRefunded } from "../webhooks/billing-events";
import { auditPaymentMoney } from "./audit-payment";
import { disputeHolds, refundCounts } from "./money-facts";

/** Where a payment's money stands: what was paid, what went back, what a dispute holds, in the payment's minor unit. */
export type MoneyPosition = { paidCents: bigint; refundedCents: bigint; heldCents: bigint };

// Ledger kinds that move credits back and forth after a payment; the entries that credited it are left as they are.
export const TAKE_BACK_KINDS = ["REFUND", "DISPUTE", "DISPUTE_REVERSAL", "REFUND_REVERSAL"] as const;
const sourceOfPayment: Record<Payment["kind"], CreditSource> = { TOPUP: "TOPUP", PURCHASE: "PURCHASE", AUTO_TOPUP: "AUTO_TOPUP" };

/**
 * The money position a set of facts describes. Refunded is the larger of the refunds known one by one and the
 * charge's own amount_refunded less the refunds known to have failed (a charge.refunded body lists no refunds); a
 * dispute can only hold what was not refunded. Both are capped at what was paid.
 */
export function moneyPosition(
  paidCents: bigint,
  currency: string,
  facts: Pick<PaymentMoneyFact, "kind" | "amountCents" | "currency" | "status">[],
): MoneyPosition {
  let refunds = 0n;
  let failedRefunds = 0n;
  let chargeRefunded = 0n;
  let disputed = 0n;
  for (const f of facts) {
    if (f.currency !== currency) continue;
    if (f.kind === "refund") {
      if (refundCounts(f.status)) refunds += f.amountCents;
      else failedRefunds += f.amountCents;
    } else if (f.kind === "charge") chargeRefunded += f.amountCents;
    else if (f.kind === "dispute" && disputeHolds(f.status)) disputed += f.amountCents;
  }
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  const fromCharge = chargeRefunded - failedRefunds;
  const refundedCents = min(paidCents, refunds > fromCharge ? refunds : fromCharge);
  const heldCents = min(paidCents - refundedCents, disputed);
  return { paidCents, refundedCents, heldCents };
}

/** The status a paid payment shows for its money position; one never paid keeps its own. */
function statusFor(payment: Payment, pos: MoneyPosition): PaymentStatus {
  if (payment.succeededAt === null) return payment.status;
  if (pos.heldCents > 0n) return "DISPUTED";
  if (pos.refundedCents >= pos.paidCents) return "REFUNDED";
  if (pos.refundedCents > 0n) return "PARTIALLY_REFUNDED";
  return "SUCCEEDED";
}

// The audit row's kind of each take-back entry.
export const MOVED: Record<string, "refund" | "dispute" | "refund_failed" | "dispute_closed"> = {
  REFUND: "refund",
  DISPUTE: "dispute",
  REFUND_REVERSAL: "refund_failed",
  DISPUTE_REVERSAL: "dispute_closed",
};

export type ReconcileResult = { payment: Payment; position: MoneyPosition; delta: bigint; entry: LedgerEntry | null };

/**
 * Brings a payment's credits to what its money position says the team should hold, with one ledger entry for the
 * difference: credits bought × (paid − refunded − held) / paid, rounded in the team's favour; nothing for a payment
 * never paid. Credits it brought that expired unused (a promo bonus, or top-ups where they expire) count as taken back
 * already, and what was taken back before they expired is never returned for it, so a refund before or after the expiry
 * ends the same. The payment must be locked (FOR UPDATE) by the caller, in the caller's transaction. Called whenever a
 * fact changes and when the payment is credited, so any order of Stripe's events ends at the same position.
 */
export async function reconcilePaymentCredits({ db, payment }: { db: Tx; payment: Payment }): Promise<ReconcileResult> {
  const facts = await db.paymentMoneyFact.findMany({ where: { paymentId: payment.id } });
  const position = moneyPosition(payment.amountCents, payment.currency, facts);
  const credited = payment.succeededAt !== null;
  const entries = await db.ledgerEntry.findMany({
    where: { teamId: payment.teamId, paymentId: payment.id },
    select: { amount: true, kind: true, seq: true, grantId: true },
  });
  // What the payment brought is what its fulfilment credited (bought, bonus, a code's grant), not what it might have.
  const brought = credited ? entries.filter((e) => !isTakeBack(e.kind) && e.amount > 0n) : [];
  const total = brought.reduce((acc, e) => acc + e.amount, 0n);
  const { delta, entry } = await moveToMoneyPosition({
    db,
    owner: { teamId: payment.teamId, paymentId: payment.id, referenceType: "payment", referenceId: payment.id, currency: payment.currency, what: "payment" },
    reversalSource: sourceOfPayment[payment.kind],
    total,
    position,
    moves: entries.filter((e) => isTakeBack(e.kind)),
    expiry: await grantsExpiry(
      db,
      payment.teamId,
      brought.map((e) => e.grantId),
    ),
  });

  const status = statusFor(payment, position);
  const moved = entry ? MOVED[entry.kind] : null;
  if (moved) await auditPaymentMoney(db, { payment, status, position, creditsDelta: delta, kind: moved });
  else if (credited && position.refundedCents !== payment.refundedCents) {
    // A refund too small to move a whole credit still changes what was paid back.
    const kind = position.refundedCents > payment.refundedCents ? "refund" : "refund_failed";
    await auditPaymentMoney(db, { payment, status, position, creditsDelta: 0n, kind });
  }
  if (moved === "refund" || moved === "dispute" || (credited && position.refundedCents > payment.refundedCents)) {
    await emitPaymentRefunded(db, {
      teamId: payment.teamId,
      owner: { paymentId: payment.id },
      currency: payment.currency,
      paidCents: position.paidCents,
      refundedCents: position.refundedCents,
      disputedCents: position.heldCents,
      creditsTakenBack: delta > 0n ? delta : 0n,
    });
  }
  const updated =
    status !== payment.status || position.refundedCents !== payment.refundedCents
      ? await db.payment.update({ where: { id: payment.id }, data: { status, refundedCents: position.refundedCents } })
      : payment;
  return { payment: updated, position, delta, entry };
}

/**
 * Tells what a statement's or a subscription invoice's charge news moved: an audit row when credits moved (Stripe's
 * news, so no actor: who refunded or disputed the charge is on Stripe's side), and payment_refunded when money went
 * back. `before` is what the owner row held, `after` what its money facts say now.
 */
export async function reportChargeMoneyMove(
  db: Tx,
  {
    owner,
    moved,
    delta,
    before,
    after,
  }: {
    owner: { type: "statement" | "invoice"; id: string; teamId: string; amountCents: bigint; currency: string };
    moved: (typeof MOVED)[string] | null | undefined;
    delta: bigint;
    before: { refundedCents: bigint; heldCents: bigint };
    after: { refundedCents: bigint; heldCents: bigint };
  },
): Promise<void> {
  if (moved) {
    await db.auditLog.create({
      data: {
        teamId: owner.teamId,
        action: `${owner.type}.${moved}`,
        targetType: owner.type,
        targetId: owner.id,
        data: {
          amountCents: String(owner.amountCents),
          currency: owner.currency,
          creditsDelta: String(delta),
          before: { refundedCents: String(before.refundedCents), heldCents: String(before.heldCents) },
          after: { refundedCents: String(after.refundedCents), heldCents: String(after.heldCents) },
        },
      },
    });
  }
  if (moved === "refund" || moved === "dispute" || after.refundedCents > before.refundedCents) {
    await emitPaymentRefunded(db, {
      teamId: owner.teamId,
      owner: owner.type === "statement" ? { statementId: owner.id } : { invoiceId: owner.id },
      currency: owner.currency,
      paidCents: owner.amountCents,
      refundedCents: after.refundedCents,
      disputedCents: after.heldCents,
      creditsTakenBack: delta > 0n ? delta : 0n,
    });
  }
}

export const isTakeBack = (kind: string) => (TAKE_BACK_KINDS as readonly string[]).includes(kind);

/** How many of the credits some grants brought expired unused, and the team's ledger position of the first expiry. */
export type GrantsExpiry = { expired: bigint; firstExpirySeq: bigint | null };
const NO_EXPIRY: GrantsExpiry = { expired: 0n, firstExpirySeq: null };

export async function grantsExpiry(db: Tx, teamId: string, grantIds: (string | null)[]): Promise<GrantsExpiry> {
  const ids = grantIds.filter((id): id is string => id !== null);
  if (ids.length === 0) return NO_EXPIRY;
  const [row] = await db.$queryRaw<{ expired: bigint | null; first_seq: bigint | null }[]>`
    SELECT -sum(amount)::bigint AS expired, min(seq) AS first_seq FROM ledger_entries
     WHERE team_id = ${teamId} AND kind = 'EXPIRY' AND grant_id = ANY(${ids})`;
  return { expired: row?.expired ?? 0n, firstExpirySeq: row?.first_seq ?? null };
}

/** What was paid for credits and is now followed by money facts: a payment, a statement's own charge, or a subscription invoice's. */
export type MoneyOwner = {
  teamId: string;
  paymentId: string | null;
  /** The ledger reference of its take-back entries, and the key they are numbered under. */
  referenceType: "payment" | "statement" | "invoice";
  referenceId: string;
  currency: string;
  /** How descriptions name it. */
  what: "payment" | "statement payment" | "subscription payment";
};

/**
 * Moves the credits an owner's money brought to its position, with one ledger entry for the difference between what
 * the position says is taken back, total × (refunded + held) / paid (rounded in the team's favour), and what the
 * owner's take-back entries (`moves`) have taken so far. Which side moved names the entry: REFUND or DISPUTE when more
 * goes back, REFUND_REVERSAL or DISPUTE_REVERSAL when some returns. The owner must be locked by the caller.
 */
export async function moveToMoneyPosition({
  db,
  owner,
  reversalSource,
  total,
  position,
  moves,
  expiry = NO_EXPIRY,
}: {
  db: Tx;
  owner: MoneyOwner;
  reversalSource: CreditSource | undefined;
  total: bigint;
  position: MoneyPosition;
  moves: { amount: bigint; kind: string; seq?: bigint }[];
  /** What of the owner's credits expired unused (grantsExpiry); `moves` then need their seq. */
  expiry?: GrantsExpiry;
}): Promise<{ delta: bigint; entry: LedgerEntry | null }> {
  // Credits that expired unused went back already; what was taken back before the expiry is never returned for it.
  const forgiven = expiry.expired;
  const at = expiry.firstExpirySeq;
  const kept = at === null ? 0n : -moves.filter((m) => m.seq !== undefined && m.seq < at).reduce((acc, m) => acc + m.amount, 0n);
  const share = (cents: bigint) => {
    const s = position.paidCents > 0n ? (total * cents) / position.paidCents - forgiven : 0n;
    return s > 0n ? s : 0n;
  };
  const whole = share(position.refundedCents + position.heldCents);
  const target = whole > kept ? whole : kept;
  const taken = -moves.reduce((acc, m) => acc + m.amount, 0n);
  const delta = target - taken;
  if (delta === 0n) return { delta, entry: null };
  const refundTarget = share(position.refundedCents);
  const refundTaken = -moves.filter((m) => m.kind === "REFUND" || m.kind === "REFUND_REVERSAL").reduce((acc, m) => acc + m.amount, 0n);
  const common = {
    db,
    teamId: owner.teamId,
    paymentId: owner.paymentId,
    // Each change of position is the next entry of this owner; the owner's lock orders them.
    idempotencyKey: `money:${owner.referenceId}:${moves.length + 1}`,
    referenceType: owner.referenceType,
    referenceId: owner.referenceId,
    metadata: { paidCents: position.paidCents.toString(), refundedCents: position.refundedCents.toString(), heldCents: position.heldCents.toString() },
  };
  const amount = formatCents(position.paidCents, owner.currency);
  const paid = `${amount} ${owner.what}`;
  if (delta > 0n) {
    const refund = refundTarget > refundTaken;
    const r = await clawbackCredits({
      ...common,
      amount: delta,
      kind: refund ? "REFUND" : "DISPUTE",
      description: refund
        ? `Refund of ${formatCents(position.refundedCents, owner.currency)} of the ${paid}`
        : `${owner.what.charAt(0).toUpperCase()}${owner.what.slice(1)} of ${amount} disputed: credits held back`,
    });
    return { delta, entry: r.entry };
  }
  const refundFailed = refundTarget < refundTaken;
  const r = await creditCredits({
    ...common,
    amount: -delta,
    kind: refundFailed ? "REFUND_REVERSAL" : "DISPUTE_REVERSAL",
    source: refundFailed ? reversalSource : undefined,
    description: refundFailed ? `A refund of the ${paid} did not go through: credits returned` : `Dispute of the ${paid} closed: credits returned`,
  });
  return { delta, entry: r.entry };
}
