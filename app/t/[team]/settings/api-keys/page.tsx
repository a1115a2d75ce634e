import type { Metadata } from "next";
import { apiKeysRoute } from "@/app/api/teams/[team]/api-keys/contract";
import { RoleGate, TeamPageHeader } from "@/components/team/team-page-header";
import { can } from "@/lib/auth/permissions";
import { readApiKeys } from "@/lib/billing/api-keys/list-api-keys";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { ApiKeysClient } from "./api-keys-client";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, db } = await teamPage((await params).team);
  const manage = can(actor, "apikeys:manage");
  const keys = manage ? await readApiKeys({ db, actor }) : [];
  return (
    <section aria-labelledby="page-title" className="max-w-4xl">
      <TeamPageHeader teamSlug={team.slug} title="API keys">
        Programs use a key to record usage and read billing for <span className="font-medium">{team.name}</span>. A read-only key can read balance, usage,
        budgets and invoices; a billing key can also record usage and change the budget. A key may have its own spending limit per day, week or month (UTC):
        usage through it past the limit is refused, and owners and billing members hear at 80%. A test key (<code>cdk_test_…</code>) never starts a charge.
      </TeamPageHeader>
      <RoleGate allowed={manage} refusal="Only the team's owners and admins can see and manage its API keys." className="mt-6">
        <Prefetched entries={[prefetched({ contract: apiKeysRoute, params: { team: team.slug }, data: { keys } })]}>
          <ApiKeysClient team={team.slug} />
        </Prefetched>
      </RoleGate>
    </section>
  );
}
