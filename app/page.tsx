import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { getCurrentUser, getUserTeams } from "@/lib/auth/session";
import { ensurePersonalTeam } from "@/lib/teams/ensure-personal-team";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  const personal = await ensurePersonalTeam({ db: db(), userId: user.id });
  const teams = await getUserTeams(user.id);
  const target = teams.find((t) => t.id === personal.id) ?? teams[0];
  redirect(`/t/${target?.slug ?? personal.slug}/overview`);
}
