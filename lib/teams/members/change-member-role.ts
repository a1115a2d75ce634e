import type { Db } from "../../db/client";
import type { TeamRole } from "../../db/generated/enums";
import { assertAnotherOwner, assertMayManage, assertNotPersonalOwner, lockedActor, lockTeam, teamMembership, type UserActor } from "./member-rules";

/**
 * Gives a member another role. Owners change anyone's; admins change admins', billing members' and members' (never to
 * owner). The last owner cannot be demoted, even by two owners demoting each other at once (the team row is locked
 * and the owners counted inside). Audit-logged (member.role_changed, before and after).
 */
export async function changeMemberRole({ db, actor, membershipId, role }: { db: Db; actor: UserActor; membershipId: string; role: TeamRole }) {
  return db.$transaction(async (tx) => {
    const team = await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    const target = await teamMembership(tx, actor.teamId, membershipId);
    assertMayManage(me, target.role, role);
    if (target.role === role) return { id: target.id, role };
    if (target.role === "OWNER") {
      assertNotPersonalOwner(team, target.userId, "demoted");
      await assertAnotherOwner(tx, actor.teamId, "demoting the last one");
    }
    await tx.membership.update({ where: { id: target.id }, data: { role } });
    await tx.auditLog.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.userId,
        action: "member.role_changed",
        targetType: "membership",
        targetId: target.id,
        data: { userId: target.userId, email: target.user.email, before: { role: target.role }, after: { role } },
      },
    });
    return { id: target.id, role };
  });
}
