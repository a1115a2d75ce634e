/**
 * What Stripe says about a payment's money after it was paid. Each fact is keyed by Stripe's own id and merged
 * monotonically (a status only moves forward by rank; a charge's refunded total only grows), so the merged state is
 * the same whatever order, and however often, the events arrive.
 */
export type MoneyFact =
  | { kind: "refund"; id: string; chargeId: string | null; amountCents: bigint; currency: string; status: string }
  | { kind: "dispute"; id: string; chargeId: string | null; amountCents: bigint; currency: string; status: string }
  /** A charge's cumulative amount_refunded (for charge.refunded bodies that list no refunds). */
  | { kind: "charge"; id: string; chargeId: string | null; amountCents: bigint; currency: string; status: string };

// Refunds: pending → succeeded → failed (a succeeded refund can still fail later); canceled ends a pending one.
const refundRank: Record<string, number> = { pending: 0, requires_action: 0, succeeded: 1, failed: 2, canceled: 2 };
// Disputes: inquiry (warning_*) → chargeback (needs_response, under_review) → closed.
const disputeRank: Record<string, number> = {
  warning_needs_response: 0,
  warning_under_review: 1,
  needs_response: 2,
  under_review: 3,
  won: 4,
  lost: 4,
  warning_closed: 4,
  prevented: 4,
};

/** The rank a status has in its fact's life; unknown statuses rank lowest so any known one replaces them. */
export function statusRank(fact: Pick<MoneyFact, "kind" | "status">): number {
  if (fact.kind === "refund") return refundRank[fact.status] ?? -1;
  if (fact.kind === "dispute") return disputeRank[fact.status] ?? -1;
  return 0;
}

/** A refund that has not failed or been canceled: its money is gone (or going) back to the payer. */
export const refundCounts = (status: string) => status === "pending" || status === "requires_action" || status === "succeeded";

/**
 * A dispute that holds the payment's credits: an inquiry or chargeback still open, or one lost. Won, warning_closed
 * (an inquiry that never became a chargeback) and prevented give them back.
 */
export const disputeHolds = (status: string) => !(status === "won" || status === "warning_closed" || status === "prevented");

export const KNOWN_REFUND_STATUSES = Object.keys(refundRank);
export const KNOWN_DISPUTE_STATUSES = Object.keys(disputeRank);
