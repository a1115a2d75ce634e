import { BillingError } from "../../billing/errors";
import type { Db } from "../../db/client";
import { lockedActor, lockTeam, teamMembership, type UserActor } from "./member-rules";

/**
 * An owner hands the team to another member: they become an owner and the actor an admin, in one transaction.
 * Not for a personal team (it stays its person's). Audit-logged (team.ownership_transferred).
 */
export async function transferOwnership({ db, actor, membershipId }: { db: Db; actor: UserActor; membershipId: string }) {
  return db.$transaction(async (tx) => {
    const team = await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    if (me.role !== "OWNER") throw new BillingError("FORBIDDEN", "Only an owner can transfer ownership.");
    if (team.personalOwnerId) throw new BillingError("CONFLICT", "A personal team stays with its person: its ownership cannot be transferred.");
    const target = await teamMembership(tx, actor.teamId, membershipId);
    if (target.userId === actor.userId) throw new BillingError("CONFLICT", "You already own this team; choose another member.");
    await tx.membership.update({ where: { id: target.id }, data: { role: "OWNER" } });
    const mine = await tx.membership.update({ where: { teamId_userId: { teamId: actor.teamId, userId: actor.userId } }, data: { role: "ADMIN" } });
    await tx.auditLog.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.userId,
        action: "team.ownership_transferred",
        targetType: "membership",
        targetId: target.id,
        data: {
          from: { userId: actor.userId, membershipId: mine.id, before: { role: "OWNER" }, after: { role: "ADMIN" } },
          to: { userId: target.userId, email: target.user.email, before: { role: target.role }, after: { role: "OWNER" } },
        },
      },
    });
    return { id: target.id };
  });
}
