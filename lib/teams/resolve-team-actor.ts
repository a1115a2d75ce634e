import type { Db } from "../db/client";
import { isStorableText } from "../auth/input-text";
import type { Actor } from "../auth/permissions";

/**
 * The actor for a signed-in user acting on a team, or null when they are not a member.
 * The membership is part of the query, so a guessed slug or id finds nothing.
 */
export async function resolveTeamActor({ db, userId, team }: { db: Db; userId: string; team: { slug: string } | { id: string } }) {
  // A slug or id PostgreSQL cannot even hold (NUL, invalid Unicode) names no team: not found, not a database error.
  const key = "slug" in team ? team.slug : team.id;
  if (typeof key !== "string" || typeof userId !== "string" || !isStorableText(key) || !isStorableText(userId)) return null;
  const membership = await db.membership.findFirst({
    where: { userId, team: "slug" in team ? { slug: team.slug } : { id: team.id } },
    select: { role: true, team: true, user: { select: { isPlatformAdmin: true, accessStatus: true } } },
  });
  if (!membership) return null;
  const actor: Actor = {
    kind: "user",
    userId,
    teamId: membership.team.id,
    role: membership.role,
    isPlatformAdmin: membership.user.isPlatformAdmin,
  };
  // The caller decides what a person still waiting for review may do (lib/edge/actor.ts: nothing on a team).
  return { actor, team: membership.team, role: membership.role, accessStatus: membership.user.accessStatus };
}
