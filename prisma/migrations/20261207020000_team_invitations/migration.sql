-- Members and roles (issue 12).
-- team_invitations: an owner or admin invites an address with a role. The link is signed and carries a random nonce;
-- only sha256(nonce) is kept (token_hash), replaced on resend so an older link stops working. Accepting, revoking or
-- passing expires_at ends it. One pending invitation per team and address is enforced under the team's row lock.
-- users.last_team_id: the team a person last opened, where "/" sends them next (no foreign key: a team they left or
-- that was deleted is simply not theirs any more, and the landing falls back to their personal team).

CREATE TABLE "team_invitations" (
    "id" TEXT NOT NULL DEFAULT cd_id('inv'::text),
    "team_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "TeamRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "invited_by_user_id" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_user_id" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_invitations_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "team_invitations_token_hash_key" ON "team_invitations"("token_hash");
CREATE INDEX "team_invitations_team_id_created_at_idx" ON "team_invitations"("team_id", "created_at");
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "users" ADD COLUMN "last_team_id" TEXT;
