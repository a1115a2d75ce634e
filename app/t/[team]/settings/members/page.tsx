import type { Metadata } from "next";
import { membersRoute } from "@/app/api/teams/[team]/members/contract";
import { TeamPageHeader } from "@/components/team/team-page-header";
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
      <TeamPageHeader teamSlug={team.slug} title="Members">
        Who is in <span className="font-medium">{team.name}</span>, and what each of them may do.
      </TeamPageHeader>
      <Prefetched entries={[prefetched({ contract: membersRoute, params: { team: team.slug }, data })]}>
        <MembersClient team={team.slug} />
      </Prefetched>
    </section>
  );
}
