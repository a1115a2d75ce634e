import type { Metadata } from "next";
import { overviewRoute } from "@/app/api/teams/[team]/overview/contract";
import { can } from "@/lib/auth/permissions";
import { getOverview } from "@/lib/billing/overview/get-overview";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { OverviewClient } from "./overview-client";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, role, actor, db } = await teamPage((await params).team);
  const afterPayment = (await searchParams).paid === "1";
  // Rendered with the figures (the route's own read); the client part keeps them fresh (Refresh, and polling while a payment settles).
  const overview = await getOverview({ db, actor });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">
        Overview
      </h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        {team.name} · your role: {role.toLowerCase()}
      </p>
      <Prefetched entries={[prefetched({ contract: overviewRoute, params: { team: team.slug }, data: overview })]}>
        <OverviewClient teamSlug={team.slug} renderedAt={overview.asOf.getTime()} canPay={can(actor, "billing:write")} afterPayment={afterPayment} />
      </Prefetched>
    </section>
  );
}
