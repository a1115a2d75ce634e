import type { Metadata } from "next";
import Link from "next/link";
import { membersRoute } from "@/app/api/teams/[team]/members/contract";
import { can } from "@/lib/auth/permissions";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { readTeamMembers } from "@/lib/teams/members/read-team-members";
import { MembersClient } from "./members-client";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, db } = await teamPage((await params).team);
  const data = await readTeamMembers({ db, actor, personalTeam: team.personalOwnerId !== null, manage: can(actor, "members:manage") });
  return (
    <section aria-labelledby="page-title" className="max-w-5xl">
      <p className="text-sm">
        <Link href={`/t/${team.slug}/settings`} className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← Team settings
        </Link>
      </p>
      <h1 id="page-title" className="mt-2 text-2xl font-semibold">
        Members
      </h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        Who is in <span className="font-medium">{team.name}</span>, and what each of them may do.
      </p>
      <Prefetched entries={[prefetched({ contract: membersRoute, params: { team: team.slug }, data })]}>
        <MembersClient team={team.slug} />
      </Prefetched>
    </section>
  );
}
