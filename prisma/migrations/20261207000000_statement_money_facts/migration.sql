-- A statement's own charge can be refunded or disputed like a top-up's. Its money facts live in the same table as a
-- payment's, owned by the statement instead (exactly one owner), and merge the same way; the statement keeps what its
-- facts say was refunded and what a dispute holds, and its repaid credits follow them (reconcileStatementCredits).
ALTER TABLE "payment_money_facts" ALTER COLUMN "payment_id" DROP NOT NULL;
ALTER TABLE "payment_money_facts" ADD COLUMN "statement_id" TEXT;
ALTER TABLE "payment_money_facts" ADD CONSTRAINT "payment_money_facts_one_owner_check" CHECK (num_nonnulls("payment_id", "statement_id") = 1);
CREATE INDEX "payment_money_facts_statement_id_idx" ON "payment_money_facts"("statement_id");
ALTER TABLE "payment_money_facts" ADD CONSTRAINT "payment_money_facts_statement_id_fkey"
  FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- A later event about a statement's charge finds the statement without asking Stripe again.
CREATE INDEX "payment_money_facts_statement_charge_idx" ON "payment_money_facts"("charge_id") WHERE "statement_id" IS NOT NULL;

ALTER TABLE "statements" ADD COLUMN "refunded_cents" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "statements" ADD COLUMN "held_cents" BIGINT NOT NULL DEFAULT 0;
