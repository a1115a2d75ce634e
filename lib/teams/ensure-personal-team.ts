import { oneLine } from "../auth/input-text";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../billing/errors";
import { createTeam } from "./create-team";
import { onTeamCreated } from "./on-team-created";

/** First sign-in creates the user's personal team with them as OWNER; later calls find it. Safe to race. */
export async function ensurePersonalTeam({ db, userId }: { db: Db; userId: string }) {
  const existing = await db.team.findUnique({ where: { personalOwnerId: userId } });
  if (existing) return existing;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  // The name comes from the sign-in provider, unchecked: one line, as every team name (createAnotherTeam).
  const label = oneLine(user.name ?? "").trim() || user.email?.split("@")[0] || "My";
  try {
    return await db.$transaction(async (tx) => {
      const team = await createTeam({ db: tx, name: `${label}'s team`, ownerUserId: userId, personal: true });
      await onTeamCreated({ db: tx, teamId: team.id });
      return team;
    });
  } catch (e) {
    if (isUniqueViolation(e)) return db.team.findUniqueOrThrow({ where: { personalOwnerId: userId } });
    throw e;
  }
}
