-- Subscription invoices copied from Stripe keep Stripe's amount due and amount paid beside their total, and the link to
-- Stripe's own PDF (the hosted page is hosted_url). Null for the invoices Creditdesk generates for top-ups.
ALTER TABLE "invoices" ADD COLUMN "amount_due_cents" BIGINT;
ALTER TABLE "invoices" ADD COLUMN "amount_paid_cents" BIGINT;
ALTER TABLE "invoices" ADD COLUMN "pdf_url" TEXT;
