import type { Metadata } from "next";
import { teamBudgetRoute } from "@/app/api/teams/[team]/budget/contract";
import { budgetShape } from "@/app/api/v1/billing/budget/shape";
import { RoleGate, TeamPageHeader } from "@/components/team/team-page-header";
import { can } from "@/lib/auth/permissions";
import { readBudget } from "@/lib/billing/budgets/read-budget";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { BudgetClient } from "./budget-client";

export const metadata: Metadata = { title: "Budget" };
export const dynamic = "force-dynamic";

export default async function BudgetPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, role, db } = await teamPage((await params).team);
  const readable = can(actor, "billing:read");
  const budget = readable ? budgetShape(await readBudget({ db, actor })) : null;
  return (
    <section aria-labelledby="page-title" className="max-w-3xl">
      <TeamPageHeader teamSlug={team.slug} title="Budget and alerts">
        A monthly spending cap for <span className="font-medium">{team.name}</span>, counted in UTC months. Alerts are emailed at 50%, 80% and 100% of the cap.
        Programs read and set the same budget with <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">/api/v1/billing/budget</code>.
      </TeamPageHeader>
      <RoleGate
        allowed={budget !== null}
        refusal={`Your role (${role.toLowerCase()}) cannot see or change the budget. Ask an owner, an admin or a billing member.`}
        className="mt-6"
      >
        {budget && (
          <Prefetched entries={[prefetched({ contract: teamBudgetRoute, params: { team: team.slug }, data: budget })]}>
            <BudgetClient team={team.slug} canEdit={can(actor, "billing:write")} role={role.toLowerCase()} />
          </Prefetched>
        )}
      </RoleGate>
    </section>
  );
}
