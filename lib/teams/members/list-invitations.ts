import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { invitationView, type InvitationView } from "./invitation-view";

/** The team's open invitations (not accepted or revoked; expired ones too, to resend), newest first. Owners and admins. */
export async function listInvitations({ db, actor, now = new Date() }: { db: Db; actor: Actor; now?: Date }): Promise<InvitationView[]> {
  requirePermission(actor, "members:manage");
  const rows = await db.teamInvitation.findMany({
    where: { teamId: actor.teamId, acceptedAt: null, revokedAt: null },
    orderBy: { createdAt: "desc" },
    take: 100,
  });
  const inviterIds = [...new Set(rows.flatMap((r) => (r.invitedByUserId ? [r.invitedByUserId] : [])))];
  const inviters = new Map(
    (await db.user.findMany({ where: { id: { in: inviterIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u.name ?? u.email]),
  );
  return rows.map((r) => invitationView(r, (r.invitedByUserId && inviters.get(r.invitedByUserId)) || null, now));
}
