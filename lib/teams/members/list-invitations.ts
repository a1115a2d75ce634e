import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { invitationView, type InvitationView } from "./invitation-view";
import { senderMayStillInvite } from "./member-rules";

/**
 * The team's open invitations (not accepted or revoked; expired ones too, to resend), newest first. Owners and admins.
 * One whose sender can no longer invite is marked stale (acceptInvitation refuses it): a resend by someone who may
 * makes it theirs again.
 */
export async function listInvitations({ db, actor, now = new Date() }: { db: Db; actor: Actor; now?: Date }): Promise<InvitationView[]> {
  requirePermission(actor, "members:manage");
  const rows = await db.teamInvitation.findMany({
    where: { teamId: actor.teamId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const inviterIds = [...new Set(rows.flatMap((r) => (r.invitedByUserId ? [r.invitedByUserId] : [])))];
  const [users, memberships] = await Promise.all([
    db.user.findMany({ where: { id: { in: inviterIds } }, select: { id: true, name: true, email: true } }),
    db.membership.findMany({ where: { teamId: actor.teamId, userId: { in: inviterIds } }, select: { userId: true, role: true } }),
  ]);
  const inviters = new Map(users.map((u) => [u.id, u.name ?? u.email]));
  const senders = new Map(memberships.map((m) => [m.userId, m]));
  return rows.map((r) => {
    const sender = (r.invitedByUserId && senders.get(r.invitedByUserId)) || null;
    return invitationView(r, (r.invitedByUserId && inviters.get(r.invitedByUserId)) || null, now, !senderMayStillInvite(sender, actor.teamId, r.role));
  });
}
