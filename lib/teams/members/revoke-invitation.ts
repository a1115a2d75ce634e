import type { Db } from "../../db/client";
import { assertMayManage, lockedActor, lockTeam, type UserActor } from "./member-rules";
import { openInvitation } from "./pending-invitation";

/** Revokes a pending invitation: its link stops working at once. Audit-logged (invitation.revoked). */
export async function revokeInvitation({ db, actor, invitationId, now = new Date() }: { db: Db; actor: UserActor; invitationId: string; now?: Date }) {
  return db.$transaction(async (tx) => {
    await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    const inv = await openInvitation(tx, actor.teamId, invitationId);
    assertMayManage(me, inv.role);
    await tx.teamInvitation.update({ where: { id: inv.id }, data: { revokedAt: now } });
    await tx.auditLog.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.userId,
        action: "invitation.revoked",
        targetType: "invitation",
        targetId: inv.id,
        data: { email: inv.email, role: inv.role },
      },
    });
    return { id: inv.id };
  });
}
