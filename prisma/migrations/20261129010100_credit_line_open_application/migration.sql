-- At most one application under way per team (two submits at once: the index decides). Drafts, withdrawn, rejected and
-- approved ones do not count. New applications start as drafts.

ALTER TABLE "credit_line_applications" ALTER COLUMN "status" SET DEFAULT 'DRAFT';

CREATE UNIQUE INDEX "credit_line_applications_one_open_per_team" ON "credit_line_applications"("team_id")
    WHERE "status" IN ('SUBMITTED', 'AWAITING_EMAIL', 'INFO_REQUESTED', 'AWAITING_SECOND_APPROVAL');
