import type { Metadata } from "next";
import { teamWebhooksRoute } from "@/app/api/teams/[team]/webhooks/contract";
import { endpointShape } from "@/app/api/v1/webhooks/shape";
import { RoleGate, TeamPageHeader } from "@/components/team/team-page-header";
import { can } from "@/lib/auth/permissions";
import { listWebhookEndpoints } from "@/lib/billing/webhooks/list-webhook-endpoints";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { WebhooksClient } from "./webhooks-client";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ team: string }> }) {
  const { team, actor, db } = await teamPage((await params).team);
  const read = can(actor, "billing:read");
  const webhooks = read ? (await listWebhookEndpoints({ db, actor })).map(endpointShape) : [];
  return (
    <section aria-labelledby="page-title" className="max-w-5xl">
      <TeamPageHeader teamSlug={team.slug} title="Webhooks">
        Creditdesk sends billing events of <span className="font-medium">{team.name}</span> (invoices, payments, budget alerts, low balance …) to your endpoints
        as signed POST requests (Standard Webhooks), retrying for about three days until your endpoint answers 2xx.
      </TeamPageHeader>
      <RoleGate allowed={read} refusal="Only the team's owners, admins and billing members can see and manage its webhooks." className="mt-6">
        <Prefetched entries={[prefetched({ contract: teamWebhooksRoute, params: { team: team.slug }, data: { webhooks } })]}>
          <WebhooksClient team={team.slug} manage={can(actor, "billing:write")} />
        </Prefetched>
      </RoleGate>
    </section>
  );
}
