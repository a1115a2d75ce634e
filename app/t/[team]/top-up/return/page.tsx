import type { Metadata } from "next";
import Link from "next/link";
import { can } from "@/lib/auth/permissions";
import { requireTeam } from "@/lib/auth/session";
import { isBillingError } from "@/lib/billing/errors";
import { readTeamPayment } from "@/lib/billing/payments/get-payment";
import { fulfilCheckout } from "@/lib/billing/topups/fulfil-checkout";
import { db } from "@/lib/db/client";
import { stripeCheckoutGateway } from "@/lib/stripe/checkout-gateway";
import { stripeClient } from "@/lib/stripe/client";
import { ReturnClient } from "./return-client";

export const metadata: Metadata = { title: "Top-up result" };
export const dynamic = "force-dynamic";

/**
 * Where Checkout sends the customer back. Fulfils the session here too (idempotently, like the webhook), so the
 * credits show at once; then the client part follows a pending payment until it settles.
 */
export default async function TopUpReturnPage({ params, searchParams }: { params: Promise<{ team: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { team, actor, role } = await requireTeam((await params).team);
  const sessionId = (await searchParams).session_id;
  const back = `/t/${team.slug}/top-up`;
  // Payments are billing data: a role the API refuses them to gets nothing here either (and nothing is fulfilled).
  if (!can(actor, "billing:read")) return <NotForRole role={role} back={back} />;
  // Only this team's own checkouts: a session id from elsewhere finds nothing and never reaches Stripe.
  const row = typeof sessionId === "string" && /^cs_[A-Za-z0-9_]{1,250}$/.test(sessionId) ? await db().payment.findFirst({ where: { teamId: team.id, stripeCheckoutSession: sessionId }, select: { id: true } }) : null;
  if (!row || typeof sessionId !== "string") {
    return (
      <section aria-labelledby="page-title" className="max-w-2xl">
        <h1 id="page-title" className="text-2xl font-semibold">Checkout not found</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">We could not find that checkout for {team.name}. Nothing was charged by this page.</p>
        <p className="mt-6"><Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">← Back to Top Up</Link></p>
      </section>
    );
  }
  let stripeDown = false;
  try {
    await fulfilCheckout({ db: db(), sessionId, gateway: stripeCheckoutGateway(stripeClient()) });
  } catch (e) {
    // The webhook (or the page's polling) will finish the job; say so rather than fail the page.
    if (!isBillingError(e) || e.code !== "STRIPE_UNAVAILABLE") throw e;
    stripeDown = true;
  }
  const payment = await readTeamPayment({ db: db(), actor, paymentId: row.id });
  const { balance } = await db().team.findUniqueOrThrow({ where: { id: team.id }, select: { balance: true } });
  return (
    <section aria-labelledby="page-title" className="max-w-2xl">
      <ReturnClient teamSlug={team.slug} initial={{ payment: payment!, balance: balance.toString() }} stripeDown={stripeDown} />
      <p className="mt-8"><Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">← Back to Top Up</Link></p>
    </section>
  );
}

function NotForRole({ role, back }: { role: string; back: string }) {
  return (
    <section aria-labelledby="page-title" className="max-w-2xl">
      <h1 id="page-title" className="text-2xl font-semibold">Top-up result</h1>
      <p role="note" data-testid="not-for-role" className="mt-2 text-slate-600 dark:text-slate-400">
        Your role in this team ({role.toLowerCase()}) cannot see payments. Ask an owner, an admin or a billing member.
      </p>
      <p className="mt-6"><Link href={back} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">← Back to Top Up</Link></p>
    </section>
  );
}
