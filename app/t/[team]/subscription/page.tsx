import type { Metadata } from "next";
import { subscriptionRoute } from "@/app/api/teams/[team]/subscription/contract";
import { idParam } from "@/lib/auth/input-text";
import { can } from "@/lib/auth/permissions";
import { getSubscriptionView } from "@/lib/billing/subscriptions/get-subscription-view";
import { returnFromSubscriptionCheckout } from "@/lib/billing/subscriptions/return-from-subscription-checkout";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { EnterpriseSlot } from "./enterprise-slot";
import { SubscriptionClient } from "./subscription-client";

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
  const sessionId = idParam.safeParse((await searchParams).checkout);
  // Back from Checkout: apply the team's own completed session now (idempotent, as the webhooks do), as Top Up does.
  const back =
    sessionId.success && paymentsReady && can(actor, "billing:read")
      ? await returnFromSubscriptionCheckout({ db, gateway: gateway(), actor, sessionId: sessionId.data })
      : { found: false as const };
  // Any member reads the view (the card and next invoice only with billing:read); the client keeps it fresh.
  const view = await getSubscriptionView({ db, gateway: paymentsReady ? gateway() : null, actor });
  const client = (
    <SubscriptionClient
      teamSlug={team.slug}
      publishableKey={paymentsReady ? publishableKey : null}
      checkoutId={back.found && sessionId.success ? sessionId.data : null}
      checkoutUnfinished={back.found && (back.checkout === "open" || back.checkout === "expired")}
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
      <Prefetched entries={[prefetched({ contract: subscriptionRoute, params: { team: team.slug }, data: view })]}>{client}</Prefetched>
    </section>
  );
}
