import type { Metadata } from "next";
import { subscriptionRoute } from "@/app/api/teams/[team]/subscription/contract";
import { idParam } from "@/lib/auth/input-text";
import { can } from "@/lib/auth/permissions";
import { getSubscriptionView } from "@/lib/billing/subscriptions/get-subscription-view";
import { listPlanOffers } from "@/lib/billing/subscriptions/plan-offers";
import { readSubscriptionState } from "@/lib/billing/subscriptions/read-subscription-state";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { EnterpriseSlot } from "./enterprise-slot";
import { SubscriptionClient } from "./subscription-client";
import type { SubscriptionView } from "./view";

export const metadata: Metadata = { title: "Subscription" };
export const dynamic = "force-dynamic";

export default async function SubscriptionPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, role, db, gateway, paymentsReady, publishableKey } = await teamPage((await params).team);
  const checkout = idParam.safeParse((await searchParams).checkout);
  const canRead = can(actor, "billing:read");
  // Readers get the route's own answer (kept fresh by the client); a member sees the plan from the team's state only:
  // no card, no invoice, no controls (the route refuses them, as the API does).
  const view: SubscriptionView = canRead
    ? await getSubscriptionView({ db, gateway: paymentsReady ? gateway() : null, actor })
    : await readOnlyView(db, team.id);
  const client = (
    <SubscriptionClient
      teamSlug={team.slug}
      readOnlyView={canRead ? null : view}
      publishableKey={paymentsReady ? publishableKey : null}
      checkoutId={checkout.success ? checkout.data : null}
      readOnlyNote={`Your role in this team (${role.toLowerCase()}) can see the plan but not change it. Owners, admins and billing members can change the plan.`}
      enterprise={<EnterpriseSlot teamSlug={team.slug} canRequest={view.canManage} />}
    />
  );

  return (
    <section aria-labelledby="page-title" className="max-w-6xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Subscription
      </h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        {team.name}&apos;s plan, its renewal and its credits. Changes go through Stripe and show here once Stripe confirms them.
      </p>
      {!paymentsReady && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          Payments are not set up on this installation yet (no Stripe keys). Plan changes are unavailable.
        </p>
      )}
      {canRead ? <Prefetched entries={[prefetched({ contract: subscriptionRoute, params: { team: team.slug }, data: view })]}>{client}</Prefetched> : client}
    </section>
  );
}

/** A member's view: the plan from the team's copied state and the plans on offer; no card, invoice or controls. */
async function readOnlyView(db: Awaited<ReturnType<typeof teamPage>>["db"], teamId: string): Promise<SubscriptionView> {
  const [state, plans] = await Promise.all([readSubscriptionState({ db, teamId }), listPlanOffers(db)]);
  const cycle = state.billingCycle === null ? null : state.billingCycle === "ANNUAL" ? "annual" : "monthly";
  return { ...state, billingCycle: cycle, paymentMethod: null, nextInvoice: null, portalEnabled: false, canManage: false, plans };
}
