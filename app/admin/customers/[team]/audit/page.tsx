import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { auditPageData } from "@/components/audit/audit-page-data";
import { PageHeader } from "@/components/page-header";
import { readTeamName } from "@/lib/billing/audit/read-team-name";
import { adminPage } from "@/lib/edge/page";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

/** Any team's audit log, for platform admins ([team] is the team id); the same view the team's owners see. */
export default async function AdminAuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { admin, db } = await adminPage();
  const teamId = (await params).team;
  const viewer = { kind: "platformAdmin" as const, userId: admin.id };
  const team = await readTeamName({ db, viewer, teamId });
  if (!team) notFound();
  const basePath = `/admin/customers/${encodeURIComponent(team.id)}/audit`;
  const page = await auditPageData({ db, viewer, teamId: team.id, search: await searchParams });
  return (
    <section aria-labelledby="page-title" className="max-w-5xl">
      <PageHeader back={{ href: `/admin/customers/${encodeURIComponent(team.id)}`, label: team.name }} title={`Audit log: ${team.name}`}>
        <p className="mt-2 text-slate-700 dark:text-slate-300">
          Team <span className="font-mono text-sm">{team.slug}</span> · newest first · times are UTC.
        </p>
      </PageHeader>
      <AuditLogView {...page} basePath={basePath} />
    </section>
  );
}
