import { BillingError } from "../../billing/errors";
import type { Db } from "../../db/client";
import { assertAnotherOwner, assertMayManage, assertNotPersonalOwner, lockedActor, lockTeam, teamMembership, type UserActor } from "./member-rules";

/**
 * Removes someone else from the team (leaving is leaveTeam). Owners remove anyone; admins remove non-owners. The last
 * owner cannot be removed, however many try at once. Audit-logged (member.removed).
 */
export async function removeMember({ db, actor, membershipId }: { db: Db; actor: UserActor; membershipId: string }) {
  return db.$transaction(async (tx) => {
    const team = await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    const target = await teamMembership(tx, actor.teamId, membershipId);
    if (target.userId === actor.userId) throw new BillingError("CONFLICT", "To take yourself out of the team, use Leave team.");
    assertMayManage(me, target.role);
    if (target.role === "OWNER") {
      assertNotPersonalOwner(team, target.userId, "removed");
      await assertAnotherOwner(tx, actor.teamId, "removing the last one");
    }
    await tx.membership.delete({ where: { id: target.id } });
    await tx.auditLog.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.userId,
        action: "member.removed",
        targetType: "membership",
        targetId: target.id,
        data: { userId: target.userId, email: target.user.email, role: target.role },
      },
    });
    return { id: target.id };
  });
}
