-- The audit log is read newest first by (created_at, id) keyset pages, per team and optionally per actor.
DROP INDEX IF EXISTS "audit_logs_team_id_created_at_idx";
CREATE INDEX "audit_logs_team_id_created_at_id_idx" ON "audit_logs" ("team_id", "created_at", "id");
CREATE INDEX "audit_logs_team_id_actor_user_id_created_at_id_idx" ON "audit_logs" ("team_id", "actor_user_id", "created_at", "id");
