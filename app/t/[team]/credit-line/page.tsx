import type { Metadata } from "next";
import { can } from "@/lib/auth/permissions";
import { getCreditLine } from "@/lib/billing/credit-lines/get-credit-line";
import { teamPage } from "@/lib/edge/page";
import { CreditLineClient } from "./credit-line-client";

export const metadata: Metadata = { title: "Credit line" };
export const dynamic = "force-dynamic";

export default async function CreditLinePage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, role, db } = await teamPage((await params).team);
  // The line, its draw and statements and the application are billing data: a role the API refuses them to (a plain
  // member) gets nothing here either; owners, admins and billing members see them, and those with billing:write act.
  if (!can(actor, "billing:read")) {
    return (
      <section aria-labelledby="page-title" className="max-w-3xl">
        <h1 id="page-title" className="text-2xl font-semibold">
          Credit line
        </h1>
        <p role="note" data-testid="not-for-role" className="mt-2 text-slate-600 dark:text-slate-400">
          Your role in this team ({role.toLowerCase()}) cannot see the credit line. Ask an owner, an admin or a billing member.
        </p>
      </section>
    );
  }
  const view = await getCreditLine({ db, teamId: team.id });
  return (
    <section aria-labelledby="page-title" className="max-w-3xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Credit line
      </h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        A monthly credit line lets {team.name} keep using the API below a zero balance, up to an approved limit; what is drawn is billed each month. Every line
        is reviewed by a person.
      </p>
      <CreditLineClient
        teamSlug={team.slug}
        view={view}
        canApply={can(actor, "billing:write")}
        readOnlyNote={`Your role in this team (${role.toLowerCase()}) can see the credit line but not apply or answer. Owners and billing members can.`}
        statementFields={{ nextStatementAt: view.line.nextStatementAt, past: view.line.statements }}
      />
    </section>
  );
}
