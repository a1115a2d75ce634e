import type { Metadata } from "next";
import Link from "next/link";
import { formatCents, formatCredits } from "@/components/format";
import { can } from "@/lib/auth/permissions";
import { isBillingError } from "@/lib/billing/errors";
import { getBalance } from "@/lib/billing/ledger/get-balance";
import { teamPage } from "@/lib/edge/page";
import { finishPurchaseAuthentication } from "@/lib/billing/purchases/finish-purchase-authentication";

export const metadata: Metadata = { title: "Purchase result" };
export const dynamic = "force-dynamic";

/** Where the bank's 3-D Secure page sends the person back: settle the purchase (credits once) and say what happened. */
export default async function BuyCreditReturnPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, role, db, gateway } = await teamPage((await params).team);
  const pi = (await searchParams).payment_intent;
  const base = `/t/${team.slug}`;
  // Payments are billing data: a role the API refuses them to gets nothing here either (and nothing is settled).
  if (!can(actor, "billing:read")) {
    return (
      <section aria-labelledby="page-title" className="max-w-2xl">
        <h1 id="page-title" className="text-2xl font-semibold">
          Purchase result
        </h1>
        <p role="note" data-testid="not-for-role" className="mt-2 text-slate-600 dark:text-slate-400">
          Your role in this team ({role.toLowerCase()}) cannot see payments. Ask an owner, an admin or a billing member.
        </p>
        <p className="mt-6">
          <Link href={`${base}/buy-credit`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            ← Back to Buy Credit
          </Link>
        </p>
      </section>
    );
  }
  let outcome = "not_found";
  let payment: Awaited<ReturnType<typeof finishPurchaseAuthentication>>["payment"] = null;
  let stripeDown = false;
  if (typeof pi === "string" && /^pi_[A-Za-z0-9_]{1,250}$/.test(pi)) {
    try {
      ({ outcome, payment } = await finishPurchaseAuthentication({ db, gateway: gateway(), teamId: team.id, paymentIntentId: pi }));
    } catch (e) {
      if (!isBillingError(e) || e.code !== "STRIPE_UNAVAILABLE") throw e;
      stripeDown = true;
    }
  }
  const { balance } = await getBalance({ db, teamId: team.id });
  const ok = payment?.status === "SUCCEEDED";
  return (
    <section aria-labelledby="page-title" className="max-w-2xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        {ok
          ? "Payment received"
          : outcome === "not_found" && !stripeDown
            ? "Purchase not found"
            : stripeDown || outcome === "pending"
              ? "Payment pending"
              : "Payment failed"}
      </h1>
      <div role="status" className="mt-4 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
        {payment && (
          <p data-testid="result-message">
            {ok
              ? `${formatCredits(payment.credits)} credits were added for ${formatCents(payment.amountCents, payment.currency)}.`
              : outcome === "pending"
                ? "Your bank is still confirming this charge. The credits are added as soon as it completes."
                : `${payment.failureMessage ?? "The charge did not go through."} No credits were added.`}
          </p>
        )}
        {!payment && (
          <p data-testid="result-message">
            {stripeDown
              ? "We could not reach our payment provider just now; the purchase completes by itself when it answers."
              : "We could not find that purchase for this team. Nothing was charged by this page."}
          </p>
        )}
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">Balance</p>
        <p data-testid="balance" className="text-3xl font-semibold tabular-nums">
          {formatCredits(balance)} <span className="text-base font-normal text-slate-500 dark:text-slate-400">credits</span>
        </p>
      </div>
      <p className="mt-8 flex gap-6">
        <Link href={`${base}/overview?paid=1`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Go to Overview
        </Link>
        <Link href={`${base}/buy-credit`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          ← Back to Buy Credit
        </Link>
      </p>
    </section>
  );
}
