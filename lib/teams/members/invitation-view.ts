import type { TeamRole } from "../../db/generated/enums";

export type InvitationView = { id: string; email: string; role: TeamRole; createdAt: Date; expiresAt: Date; expired: boolean; invitedBy: string | null };

export function invitationView(
  row: { id: string; email: string; role: TeamRole; createdAt: Date; expiresAt: Date },
  invitedBy: string | null,
  now: Date,
): InvitationView {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, expiresAt: row.expiresAt, expired: row.expiresAt <= now, invitedBy };
}
