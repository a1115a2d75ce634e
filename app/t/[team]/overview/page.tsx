import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { requireTeam } from "@/lib/auth/session";
import { getOverview } from "@/lib/billing/overview/get-overview";
import { db } from "@/lib/db/client";
import { OverviewClient } from "./overview-client";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

export default async function OverviewPage({ params, searchParams }: { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, role, actor } = await requireTeam((await params).team);
  const afterPayment = (await searchParams).paid === "1";
  // Rendered with the figures; the client part keeps them fresh (Refresh, and polling while a payment settles).
  const initial = await getOverview({ db: db(), actor });
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="text-2xl font-semibold">Overview</h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        {team.name} · your role: {role.toLowerCase()}
      </p>
      <OverviewClient teamSlug={team.slug} initial={initial} canPay={can(actor, "billing:write")} afterPayment={afterPayment} />
    </section>
  );
}
