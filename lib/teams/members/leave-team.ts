import type { Db } from "../../db/client";
import { assertAnotherOwner, assertNotPersonalOwner, lockedActor, lockTeam, type UserActor } from "./member-rules";

/** The actor leaves the team. Not their personal team, and not as its last owner. Audit-logged (member.left). */
export async function leaveTeam({ db, actor }: { db: Db; actor: UserActor }) {
  return db.$transaction(async (tx) => {
    const team = await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    assertNotPersonalOwner(team, me.userId, "leave it");
    if (me.role === "OWNER") await assertAnotherOwner(tx, actor.teamId, "leaving");
    const m = await tx.membership.delete({ where: { teamId_userId: { teamId: actor.teamId, userId: actor.userId } } });
    await tx.auditLog.create({
      data: { teamId: actor.teamId, actorUserId: actor.userId, action: "member.left", targetType: "membership", targetId: m.id, data: { role: me.role } },
    });
    return { id: m.id };
  });
}
