import type { Db } from "../db/client";
import { ensurePersonalTeam } from "./ensure-personal-team";
import { listUserTeams } from "./list-user-teams";

/**
 * The team a signed-in user lands on: the one they last opened while still a member, else their personal team (made on
 * first sign-in), else their first team.
 */
export async function homeTeamSlug({ db, userId }: { db: Db; userId: string }): Promise<string> {
  const personal = await ensurePersonalTeam({ db, userId });
  const [teams, user] = await Promise.all([listUserTeams({ db, userId }), db.user.findUnique({ where: { id: userId }, select: { lastTeamId: true } })]);
  const last = user?.lastTeamId ? teams.find((t) => t.id === user.lastTeamId) : undefined;
  return (last ?? teams.find((t) => t.id === personal.id) ?? teams[0])?.slug ?? personal.slug;
}
