import type { Metadata } from "next";
import Link from "next/link";
import { centsToDollarText, formatCents, formatCredits } from "@/components/format";
import { can } from "@/lib/auth/permissions";
import { readAutoTopUp } from "@/lib/billing/auto-top-up/read-auto-top-up";
import { readSavedCard, type SavedCard } from "@/lib/billing/cards/read-saved-card";
import { billingConfig } from "@/lib/billing/config";
import { isBillingError } from "@/lib/billing/errors";
import { creditsToCents } from "@/lib/billing/money";
import { getTeamPlan } from "@/lib/billing/plans/get-team-plan";
import { teamPage } from "@/lib/edge/page";
import { AutoTopUpForm } from "./auto-top-up-form";
import { BuyCreditClient } from "./buy-credit-client";

export const metadata: Metadata = { title: "Buy Credit" };
export const dynamic = "force-dynamic";

export default async function BuyCreditPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, role, db, gateway, paymentsReady: stripeReady } = await teamPage((await params).team);
  const query = await searchParams;
  const config = billingConfig();
  const plan = await getTeamPlan({ db, teamId: team.id });
  const canPay = can(actor, "billing:write");
  // Saved card and auto top-up settings are billing data: the API refuses them to a member, so this page does too.
  const canSeeBilling = can(actor, "billing:read");
  let card: SavedCard | null = null;
  let cardError: string | null = null;
  if (canSeeBilling && stripeReady) {
    try {
      card = await readSavedCard({ db, gateway, actor });
    } catch (e) {
      if (!isBillingError(e)) throw e;
      cardError = e.message;
    }
  }
  const auto = canSeeBilling ? await readAutoTopUp({ db, actor }) : null;
  const base = `/t/${team.slug}`;

  return (
    <section aria-labelledby="page-title" className="max-w-3xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Buy Credit
      </h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        Add credits to {team.name} with the saved card, instantly. Balance:{" "}
        <span
          data-testid="balance"
          className={`font-semibold tabular-nums ${team.balance < 0n ? "text-red-600 dark:text-red-400" : "text-slate-900 dark:text-slate-100"}`}
        >
          {formatCredits(team.balance)} credits
        </span>
        <span data-testid="balance-usd" className="tabular-nums">
          {" "}
          (worth {formatCents(creditsToCents(team.balance, config.creditsPerDollar))})
        </span>
      </p>
      {query.card === "saved" && (
        <p role="status" className="mt-4 rounded-md bg-emerald-50 p-3 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          Card saved. It is used for Buy Credit and auto top-up.
        </p>
      )}
      {query.card === "canceled" && (
        <p role="status" className="mt-4 rounded-md bg-slate-100 p-3 text-slate-800 dark:bg-slate-800 dark:text-slate-200">
          No card was added.
        </p>
      )}

      {!plan.canBuyCredits ? (
        <div
          data-testid="free-plan"
          className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-5 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <h2 className="text-lg font-semibold">Buy Credit is for paid plans</h2>
          <p className="mt-1">
            {team.name} is on the {plan.plan.name} plan{plan.plan.monthlyCredits ? ` (${formatCredits(plan.plan.monthlyCredits)} credits a month)` : ""}.
            Bundles charged to a saved card, and auto top-up, come with any paid plan.
          </p>
          <p className="mt-3 flex flex-wrap gap-3">
            <Link href={`${base}/subscription`} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
              Upgrade your plan
            </Link>
            <Link href={`${base}/top-up`} className="rounded-md border border-amber-400 px-4 py-2 font-medium hover:bg-amber-100 dark:hover:bg-amber-900">
              Top up with Checkout instead
            </Link>
          </p>
        </div>
      ) : (
        <>
          {!canPay && (
            <p
              role="note"
              className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
            >
              Your role in this team ({role.toLowerCase()}) can see this page but not buy. Ask an owner, an admin or a billing member.
            </p>
          )}
          {!stripeReady && (
            <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
              Payments are not set up on this installation yet (no Stripe keys).
            </p>
          )}
          {cardError && (
            <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
              {cardError}
            </p>
          )}
          <BuyCreditClient
            teamSlug={team.slug}
            canPay={canPay && stripeReady}
            card={card ? { label: card.label, expires: `${String(card.expMonth).padStart(2, "0")}/${card.expYear}` } : null}
            bundles={config.creditBundles.map((b) => ({ id: b.id, amountCents: b.amountCents, credits: b.credits }))}
            minCents={config.topUpMinCents}
            maxCents={config.topUpMaxCents}
            creditsPerDollar={config.creditsPerDollar}
          />
          {auto && (
            <AutoTopUpForm
              teamSlug={team.slug}
              canEdit={canPay && stripeReady}
              hasCard={card !== null}
              initial={{
                enabled: auto.enabled,
                threshold: auto.thresholdCredits.toString(),
                amount: centsToDollarText(auto.amountCents),
                maxPerMonth: auto.maxPerMonth,
                chargesThisMonth: auto.chargesThisMonth,
                disabledReason: auto.disabledReason,
              }}
              creditsPerDollar={config.creditsPerDollar}
            />
          )}
        </>
      )}
    </section>
  );
}
