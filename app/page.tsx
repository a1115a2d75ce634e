import { redirect } from "next/navigation";
import { userPage } from "@/lib/edge/page";
import { homeTeamSlug } from "@/lib/teams/home-team";

export const dynamic = "force-dynamic";

export default async function Home() {
  const { user, db } = await userPage();
  redirect(`/t/${await homeTeamSlug({ db, userId: user.id })}/overview`);
}
