import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { returnFromCheckout } from "@/lib/billing/topups/return-from-checkout";
import { teamPage } from "@/lib/edge/page";
import { Prefetched, prefetched } from "@/lib/edge/prefetch";
import { lazyPorts } from "@/lib/billing/gateway";
import { paymentRoute } from "@/app/api/teams/[team]/payments/[id]/contract";
import { ReturnClient } from "./return-client";

export const metadata: Metadata = { title: "Top-up result" };
export const dynamic = "force-dynamic";

/**
 * Where Checkout sends the customer back. Fulfils the session here too (idempotently, like the webhook), so the
 * credits show at once; then the client part follows a pending payment until it settles.
 */
export default async function TopUpReturnPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, role, db, gateway } = await teamPage((await params).team);
  const sessionId = (await searchParams).session_id;
  const back = `/t/${team.slug}/top-up`;
  // Payments are billing data: a role the API refuses them to gets nothing here either (and nothing is fulfilled).
  if (!can(actor, "billing:read")) return <NotForRole role={role} back={back} />;
  const checkout = await returnFromCheckout({ db, actor, sessionId, gateway: lazyPorts(gateway) });
  if (!checkout.found) {
    return (
      <section aria-labelledby="page-title" className="max-w-2xl">
        <h1 id="page-title" className="text-2xl font-semibold">
          Checkout not found
        </h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">We could not find that checkout for {team.name}. Nothing was charged by this page.</p>
        <p className="mt-6">
          <Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            ← Back to Top Up
          </Link>
        </p>
      </section>
    );
  }
  const { payment, balance, stripeDown } = checkout;
  const status = prefetched({ contract: paymentRoute, params: { team: team.slug, id: payment.id }, data: { payment, balance } });
  return (
    <section aria-labelledby="page-title" className="max-w-2xl">
      <Prefetched entries={[status]}>
        <ReturnClient teamSlug={team.slug} paymentId={payment.id} stripeDown={stripeDown} />
      </Prefetched>
      <p className="mt-8">
        <Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          ← Back to Top Up
        </Link>
      </p>
    </section>
  );
}

function NotForRole({ role, back }: { role: string; back: string }) {
  return (
    <section aria-labelledby="page-title" className="max-w-2xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Top-up result
      </h1>
      <p role="note" data-testid="not-for-role" className="mt-2 text-slate-600 dark:text-slate-400">
        Your role in this team ({role.toLowerCase()}) cannot see payments. Ask an owner, an admin or a billing member.
      </p>
      <p className="mt-6">
        <Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          ← Back to Top Up
        </Link>
      </p>
    </section>
  );
}
