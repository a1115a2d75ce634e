-- Enterprise requests and custom plans (issue 10).
-- (plans.portal_enabled, which custom plans turn off by default, comes from 20261128120000_plan_portal_enabled.)
-- plans.team_id: a custom plan belongs to one team; NULL = a public plan. Plans of another team are never listed to or
-- accepted from a team.
-- plan_requests: a team asks for Enterprise; platform admins answer with a custom plan (done) or a reason (declined).
-- At most one open request per team (partial unique index), so concurrent submits cannot both land.
-- notifications.dedupe_key: one notification per fact (e.g. per failed renewal and recipient), however often the
-- events that cause it are delivered.

ALTER TABLE "plans" ADD COLUMN "team_id" TEXT;
ALTER TABLE "plans" ADD CONSTRAINT "plans_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "plans_team_id_idx" ON "plans"("team_id");

CREATE TYPE "PlanRequestStatus" AS ENUM ('OPEN', 'DONE', 'DECLINED');

CREATE TABLE "plan_requests" (
    "id" TEXT NOT NULL DEFAULT cd_id('preq'::text),
    "team_id" TEXT NOT NULL,
    "requester_user_id" TEXT,
    "company" TEXT NOT NULL,
    "contact_email" TEXT NOT NULL,
    "expected_monthly_credits" BIGINT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "status" "PlanRequestStatus" NOT NULL DEFAULT 'OPEN',
    "decline_reason" TEXT,
    "handled_by_user_id" TEXT,
    "handled_at" TIMESTAMPTZ(3),
    "plan_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_requests_usage_check" CHECK ("expected_monthly_credits" >= 0)
);
CREATE UNIQUE INDEX "plan_requests_one_open_per_team" ON "plan_requests"("team_id") WHERE "status" = 'OPEN';
CREATE INDEX "plan_requests_status_created_at_idx" ON "plan_requests"("status", "created_at");
ALTER TABLE "plan_requests" ADD CONSTRAINT "plan_requests_team_id_fkey"
  FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "plan_requests" ADD CONSTRAINT "plan_requests_requester_user_id_fkey"
  FOREIGN KEY ("requester_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "plan_requests" ADD CONSTRAINT "plan_requests_handled_by_user_id_fkey"
  FOREIGN KEY ("handled_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "plan_requests" ADD CONSTRAINT "plan_requests_plan_id_fkey"
  FOREIGN KEY ("plan_id") REFERENCES "plans"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "notifications" ADD COLUMN "dedupe_key" TEXT;
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");
