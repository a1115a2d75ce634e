-- Money after payment as facts (refunds, disputes, each charge's amount_refunded), merged monotonically so Stripe's
-- events converge in any order; and a record of signed events that could not be applied.

ALTER TYPE "LedgerKind" ADD VALUE IF NOT EXISTS 'REFUND_REVERSAL';

CREATE TABLE "payment_money_facts" (
    "id" TEXT NOT NULL,
    "payment_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount_cents" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "status_rank" INTEGER NOT NULL DEFAULT 0,
    "charge_id" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_money_facts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "payment_money_facts_kind_check" CHECK ("kind" IN ('refund', 'dispute', 'charge')),
    CONSTRAINT "payment_money_facts_amount_check" CHECK ("amount_cents" >= 0)
);
CREATE INDEX "payment_money_facts_payment_id_idx" ON "payment_money_facts"("payment_id");
ALTER TABLE "payment_money_facts" ADD CONSTRAINT "payment_money_facts_payment_id_fkey"
  FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Payments refunded before this model: their charge's refunded total becomes the charge fact.
INSERT INTO "payment_money_facts" ("id", "payment_id", "kind", "amount_cents", "currency", "status", "status_rank", "charge_id")
SELECT COALESCE(p.stripe_charge, 'legacy_charge_' || p.id), p.id, 'charge', p.refunded_cents, p.currency, 'legacy', 0, p.stripe_charge
  FROM payments p WHERE p.refunded_cents > 0
ON CONFLICT DO NOTHING;

-- Disputes recorded before this model, from their ledger entries: won where a reversal exists, else still held.
INSERT INTO "payment_money_facts" ("id", "payment_id", "kind", "amount_cents", "currency", "status", "status_rank", "charge_id")
SELECT e.reference_id, p.id, 'dispute',
       LEAST(p.amount_cents, ROUND(p.amount_cents::numeric * (-e.amount) / GREATEST(p.credits + p.bonus_credits, 1)))::bigint,
       p.currency,
       CASE WHEN EXISTS (SELECT 1 FROM ledger_entries w WHERE w.team_id = e.team_id AND w.idempotency_key = 'dispute-won:' || e.reference_id) THEN 'won' ELSE 'needs_response' END,
       CASE WHEN EXISTS (SELECT 1 FROM ledger_entries w WHERE w.team_id = e.team_id AND w.idempotency_key = 'dispute-won:' || e.reference_id) THEN 4 ELSE 2 END,
       p.stripe_charge
  FROM ledger_entries e JOIN payments p ON p.id = e.payment_id
 WHERE e.kind = 'DISPUTE' AND e.reference_type = 'stripe_dispute' AND e.reference_id IS NOT NULL
ON CONFLICT DO NOTHING;

CREATE TABLE "stripe_event_failures" (
    "id" TEXT NOT NULL,
    "type" TEXT,
    "raw_body" BYTEA NOT NULL,
    "error" TEXT NOT NULL,
    "permanent" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "first_failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "parked_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by_user_id" TEXT,
    "resolution" TEXT,

    CONSTRAINT "stripe_event_failures_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "stripe_event_failures_resolved_at_last_failed_at_idx" ON "stripe_event_failures"("resolved_at", "last_failed_at");
