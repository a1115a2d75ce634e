import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { auditPageData } from "@/components/audit/audit-page-data";
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
      <p className="text-sm">
        <Link href={`/admin/customers/${encodeURIComponent(team.id)}`} className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← {team.name}
        </Link>
      </p>
      <h1 id="page-title" className="mt-2 text-2xl font-semibold">
        Audit log: {team.name}
      </h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300">
        Team <span className="font-mono text-sm">{team.slug}</span> · newest first · times are UTC.
      </p>
      <AuditLogView {...page} basePath={basePath} />
    </section>
  );
}
