import type { TeamRole } from "../../db/generated/enums";

/** An open invitation as the members page shows it; `stale`: its sender can no longer invite, so accepting it is refused. */
export type InvitationView = {
  id: string;
  email: string;
  role: TeamRole;
  createdAt: Date;
  expiresAt: Date;
  expired: boolean;
  invitedBy: string | null;
  stale: boolean;
};

export function invitationView(
  row: { id: string; email: string; role: TeamRole; createdAt: Date; expiresAt: Date },
  invitedBy: string | null,
  now: Date,
  stale = false,
): InvitationView {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, expiresAt: row.expiresAt, expired: row.expiresAt <= now, invitedBy, stale };
}
