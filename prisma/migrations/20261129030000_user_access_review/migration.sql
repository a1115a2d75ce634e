-- Enterprise sign-in, reviewed first (issue 11).
-- users.access_status: a person who first signs in through the enterprise OpenID Connect provider is PENDING until a
-- platform admin approves (APPROVED) or rejects (REJECTED) them, with the reviewer, the reason and the time. Everyone
-- else, and every existing user, is APPROVED. The reviewer is kept as SET NULL so deleting an admin keeps the decision.

CREATE TYPE "AccessStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

ALTER TABLE "users" ADD COLUMN "access_status" "AccessStatus" NOT NULL DEFAULT 'APPROVED';
ALTER TABLE "users" ADD COLUMN "access_reviewed_by_user_id" TEXT;
ALTER TABLE "users" ADD COLUMN "access_reason" TEXT;
ALTER TABLE "users" ADD COLUMN "access_reviewed_at" TIMESTAMPTZ(3);
ALTER TABLE "users" ADD CONSTRAINT "users_access_reviewed_by_user_id_fkey"
  FOREIGN KEY ("access_reviewed_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
-- The review queue: pending first, oldest first.
CREATE INDEX "users_access_status_created_at_idx" ON "users"("access_status", "created_at");
