-- Credit-line applications become a reviewed flow: the applicant's materials, a company-email confirmation (a signed,
-- single-use link), a reviewer <-> applicant message thread, a two-person approval and a guarantee deposit. Who did
-- what and why is written to audit_logs (action "credit_line.*", target the application), as every other admin action.
--
-- The old PENDING value meant "waiting for a reviewer": it is renamed SUBMITTED, so existing rows keep their meaning.
-- New enum values cannot be used in the transaction that adds them; the open-application index is the next migration.

ALTER TYPE "ApplicationStatus" RENAME VALUE 'PENDING' TO 'SUBMITTED';
ALTER TYPE "ApplicationStatus" ADD VALUE 'DRAFT' BEFORE 'SUBMITTED';
ALTER TYPE "ApplicationStatus" ADD VALUE 'AWAITING_EMAIL' AFTER 'SUBMITTED';
ALTER TYPE "ApplicationStatus" ADD VALUE 'INFO_REQUESTED' AFTER 'AWAITING_EMAIL';
ALTER TYPE "ApplicationStatus" ADD VALUE 'AWAITING_SECOND_APPROVAL' AFTER 'INFO_REQUESTED';

ALTER TABLE "credit_line_applications"
    ADD COLUMN "business_use_case" TEXT,
    ADD COLUMN "app_link" TEXT,
    ADD COLUMN "other_materials" TEXT,
    ADD COLUMN "contact_email_confirmed_at" TIMESTAMPTZ(3),
    ADD COLUMN "email_token_hash" TEXT,
    ADD COLUMN "email_token_expires_at" TIMESTAMPTZ(3),
    ADD COLUMN "guarantee_cents" BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN "guarantee_payment_id" TEXT,
    ADD COLUMN "guarantee_paid_at" TIMESTAMPTZ(3),
    ADD COLUMN "first_approver_user_id" TEXT,
    ADD COLUMN "first_approved_at" TIMESTAMPTZ(3),
    ADD COLUMN "submitted_at" TIMESTAMPTZ(3);

-- Old rows were submitted when they were made.
UPDATE "credit_line_applications" SET "submitted_at" = "created_at" WHERE "submitted_at" IS NULL;

CREATE TABLE "credit_line_messages" (
    "id" TEXT NOT NULL DEFAULT cd_id('clm'::text),
    "application_id" TEXT NOT NULL,
    "author_user_id" TEXT,
    "from_reviewer" BOOLEAN NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_line_messages_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "credit_line_messages_application_id_created_at_idx" ON "credit_line_messages"("application_id", "created_at");

ALTER TABLE "credit_line_messages" ADD CONSTRAINT "credit_line_messages_application_id_fkey"
    FOREIGN KEY ("application_id") REFERENCES "credit_line_applications"("id") ON DELETE CASCADE ON UPDATE CASCADE;
