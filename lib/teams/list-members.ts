import { type Actor, requirePermission } from "../auth/permissions";
import type { Db } from "../db/client";
import type { TeamRole } from "../db/generated/enums";

/** `you`: the signed-in actor; `personalOwner`: the person whose personal team this is (cannot be demoted or removed). */
export type MemberView = { id: string; role: TeamRole; name: string | null; email: string | null; you: boolean; personalOwner: boolean };

/** The actor's team's members, oldest membership first (every member may see who else is in the team). */
export async function listMembers({ db, actor }: { db: Db; actor: Actor }): Promise<MemberView[]> {
  requirePermission(actor, "team:read");
  const rows = await db.membership.findMany({
    where: { teamId: actor.teamId },
    select: { id: true, role: true, userId: true, user: { select: { name: true, email: true } }, team: { select: { personalOwnerId: true } } },
    orderBy: { createdAt: "asc" },
  });
  const me = actor.kind === "user" ? actor.userId : null;
  return rows.map((m) => ({
    id: m.id,
    role: m.role,
    name: m.user.name,
    email: m.user.email,
    you: m.userId === me,
    personalOwner: m.team.personalOwnerId === m.userId,
  }));
}
