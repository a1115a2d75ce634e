-- Split adjustments (issue 12): one admin's adjustments of one team within 24 hours count together toward
-- ADMIN_ADJUSTMENT_SECOND_APPROVAL_CREDITS. A request keeps the credits that admin had already moved on the team in the
-- 24 hours before it (absolute values; pending requests and direct adjustments), so the page can say why it waits.
-- The window's reads use ledger_entries_team_id_kind_created_at_idx and credit_adjustment_requests_team_id_created_at_idx.

ALTER TABLE "credit_adjustment_requests" ADD COLUMN "recent_credits" BIGINT NOT NULL DEFAULT 0;
