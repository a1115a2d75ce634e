import type { Db } from "../db/client";
import { ensurePersonalTeam } from "./ensure-personal-team";
import { listUserTeams } from "./list-user-teams";

/** The team a signed-in user lands on: their personal team (made on first sign-in), else their first team. */
export async function homeTeamSlug({ db, userId }: { db: Db; userId: string }): Promise<string> {
  const personal = await ensurePersonalTeam({ db, userId });
  const teams = await listUserTeams({ db, userId });
  return (teams.find((t) => t.id === personal.id) ?? teams[0])?.slug ?? personal.slug;
}
