import type { Db } from "../db/client";

export async function listUserTeams({ db, userId }: { db: Db; userId: string }) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: { role: true, team: { select: { id: true, name: true, slug: true, personalOwnerId: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({ ...r.team, role: r.role, personal: r.team.personalOwnerId === userId }));
}
