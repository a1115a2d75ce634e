import { type Actor, requirePermission } from "../auth/permissions";
import type { Db } from "../db/client";
import type { TeamRole } from "../db/generated/enums";

export type MemberView = { id: string; role: TeamRole; name: string | null; email: string | null };

/** The actor's team's members, oldest membership first (every member may see who else is in the team). */
export async function listMembers({ db, actor }: { db: Db; actor: Actor }): Promise<MemberView[]> {
  requirePermission(actor, "team:read");
  const rows = await db.membership.findMany({
    where: { teamId: actor.teamId },
    select: { id: true, role: true, user: { select: { name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({ id: m.id, role: m.role, name: m.user.name, email: m.user.email }));
}
