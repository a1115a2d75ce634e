-- A subscription invoice's charge can be refunded or disputed like a top-up's: the plan credits the invoice granted
-- follow it (reconcileInvoiceCredits). Its money facts live beside a payment's and a statement's, owned by the copied
-- invoice instead (still exactly one owner), and merge the same way.
ALTER TABLE "payment_money_facts" ADD COLUMN "invoice_id" TEXT;
ALTER TABLE "payment_money_facts" DROP CONSTRAINT "payment_money_facts_one_owner_check";
ALTER TABLE "payment_money_facts" ADD CONSTRAINT "payment_money_facts_one_owner_check" CHECK (num_nonnulls("payment_id", "statement_id", "invoice_id") = 1);
CREATE INDEX "payment_money_facts_invoice_id_idx" ON "payment_money_facts"("invoice_id");
ALTER TABLE "payment_money_facts" ADD CONSTRAINT "payment_money_facts_invoice_id_fkey"
  FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "invoices" ADD COLUMN "refunded_cents" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "invoices" ADD COLUMN "held_cents" BIGINT NOT NULL DEFAULT 0;
