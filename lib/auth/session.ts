import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import { listUserTeams } from "../teams/list-user-teams";
import { resolveTeamActor } from "../teams/resolve-team-actor";
import { auth } from "./config";

/** The signed-in user (fresh from the database, so a removed user or revoked admin flag takes effect at once). */
export const getCurrentUser = cache(async () => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return db().user.findUnique({ where: { id }, select: { id: true, name: true, email: true, image: true, isPlatformAdmin: true, accessStatus: true } });
});

export async function requireUser(callbackUrl?: string) {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`);
  return user;
}

/** Team pages: the user must be a member; anyone else gets a 404, whatever slug they type. */
export const requireTeam = cache(async (slug: string) => {
  const user = await requireUser(`/t/${slug}/overview`);
  const resolved = await resolveTeamActor({ db: db(), userId: user.id, team: { slug } });
  if (!resolved) notFound();
  return { user, ...resolved };
});

export const getUserTeams = cache(async (userId: string) => listUserTeams({ db: db(), userId }));

export async function requirePlatformAdmin() {
  const user = await requireUser("/admin");
  if (!user.isPlatformAdmin) notFound();
  return user;
}
