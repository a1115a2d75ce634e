-- The platform admin console (issue 12).
-- credit_adjustment_requests: an admin's credit adjustment at or above ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS waits
-- here for a second, different platform admin (as credit-line approvals do). One request per (team, idempotency key):
-- a double submit of the form finds the first. The ledger entry it makes is keyed by the same key.
-- Search: the customers search matches prefixes of lower(name), lower(slug) and lower(email) (LIKE 'x%' with
-- text_pattern_ops, whatever the database's collation), and Stripe customer ids exactly (teams_stripe_customer_id_key).

CREATE TYPE "AdjustmentStatus" AS ENUM ('PENDING', 'CONFIRMED', 'DECLINED');

CREATE TABLE "credit_adjustment_requests" (
    "id" TEXT NOT NULL DEFAULT cd_id('adj'::text),
    "team_id" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" "AdjustmentStatus" NOT NULL DEFAULT 'PENDING',
    "requested_by_user_id" TEXT,
    "decided_by_user_id" TEXT,
    "decision_reason" TEXT,
    "ledger_entry_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    CONSTRAINT "credit_adjustment_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "credit_adjustment_requests_amount_check" CHECK ("amount" <> 0)
);

CREATE UNIQUE INDEX "credit_adjustment_requests_team_id_idempotency_key_key" ON "credit_adjustment_requests"("team_id", "idempotency_key");
CREATE INDEX "credit_adjustment_requests_status_created_at_idx" ON "credit_adjustment_requests"("status", "created_at");
CREATE INDEX "credit_adjustment_requests_team_id_created_at_idx" ON "credit_adjustment_requests"("team_id", "created_at");

ALTER TABLE "credit_adjustment_requests" ADD CONSTRAINT "credit_adjustment_requests_team_id_fkey"
  FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "credit_adjustment_requests" ADD CONSTRAINT "credit_adjustment_requests_requested_by_user_id_fkey"
  FOREIGN KEY ("requested_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "credit_adjustment_requests" ADD CONSTRAINT "credit_adjustment_requests_decided_by_user_id_fkey"
  FOREIGN KEY ("decided_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE INDEX "teams_name_lower_idx" ON "teams" (lower("name") text_pattern_ops);
CREATE INDEX "teams_slug_lower_idx" ON "teams" (lower("slug") text_pattern_ops);
CREATE INDEX "users_email_lower_idx" ON "users" (lower("email") text_pattern_ops);
-- Coupon redemptions of one code, newest first (the coupon's page).
CREATE INDEX "coupon_redemptions_coupon_id_created_at_idx" ON "coupon_redemptions"("coupon_id", "created_at");
