import type { Metadata } from "next";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { auditPageData } from "@/components/audit/audit-page-data";
import { TeamPageHeader } from "@/components/team/team-page-header";
import { teamPageWith } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

/** The team's audit log: owners and admins (audit:read); anyone else gets the same 404 as a team they are not in. */
export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, db } = await teamPageWith((await params).team, "audit:read");
  const basePath = `/t/${team.slug}/settings/audit`;
  const page = await auditPageData({ db, viewer: actor, teamId: team.id, search: await searchParams });
  return (
    <section aria-labelledby="page-title" className="max-w-5xl">
      <TeamPageHeader teamSlug={team.slug} title="Audit log">
        Who changed what in <span className="font-medium">{team.name}</span>, newest first: members, API keys, budget, auto top-up, plan, payments, refunds and
        adjustments. Times are UTC.
      </TeamPageHeader>
      <AuditLogView {...page} basePath={basePath} />
    </section>
  );
}
