import type { Db } from "../db/client";

/** Remembers the team a person opened, where "/" lands them next. Writes only when it changed. */
export async function noteLastTeam({ db, userId, teamId }: { db: Db; userId: string; teamId: string }): Promise<void> {
  await db.user.updateMany({ where: { id: userId, OR: [{ lastTeamId: null }, { lastTeamId: { not: teamId } }] }, data: { lastTeamId: teamId } });
}
