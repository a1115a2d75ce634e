import type { Metadata } from "next";
import { formatCents, formatCredits } from "@/components/format";
import { idParam } from "@/lib/auth/input-text";
import { can } from "@/lib/auth/permissions";
import { billingConfig } from "@/lib/billing/config";
import { getBalance } from "@/lib/billing/ledger/get-balance";
import { creditsToCents } from "@/lib/billing/money";
import { readTeamPayment } from "@/lib/billing/payments/get-payment";
import { readTeamPayments } from "@/lib/billing/payments/list-payments";
import { topUpMethodOptions } from "@/lib/billing/topups/payment-methods";
import { teamPage } from "@/lib/edge/page";
import { LeftCheckoutNote } from "./left-checkout-note";
import { PaymentHistory } from "./payment-history";
import { TopUpClient } from "./top-up-client";

export const metadata: Metadata = { title: "Top Up" };
export const dynamic = "force-dynamic";

const PRESETS_CENTS = [1000n, 2500n, 5000n, 10000n, 50000n];

export default async function TopUpPage({
  params,
  searchParams,
}: {
  params: Promise<{ team: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { team, actor, role, db, paymentsReady, publishableKey } = await teamPage((await params).team);
  const query = await searchParams;
  const config = billingConfig();
  const canPay = can(actor, "billing:write");
  const canSeeHistory = can(actor, "billing:read");

  // Back from the hosted page's "Back" link: say what happened to that payment. A GET only reads; canceling an open
  // checkout is the person's explicit POST (a prefetch or a link preview must not expire it, or call it unpaid).
  const canceledId = idParam.safeParse(query.canceled);
  const left = canceledId.success && canSeeHistory ? await readTeamPayment({ db, actor, paymentId: canceledId.data }) : null;
  const page = Number(typeof query.page === "string" ? query.page : "1");
  const history = canSeeHistory ? await readTeamPayments({ db, actor, page: Number.isFinite(page) ? page : 1 }) : null;
  const { balance } = await getBalance({ db, teamId: team.id });
  const presets = PRESETS_CENTS.filter((c) => c >= config.topUpMinCents && c <= config.topUpMaxCents);

  return (
    <section aria-labelledby="page-title" className="max-w-3xl">
      <h1 id="page-title" className="text-2xl font-semibold">
        Top Up
      </h1>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        Add prepaid credits to {team.name}. Balance:{" "}
        <span
          data-testid="balance"
          className={`font-semibold tabular-nums ${balance < 0n ? "text-red-600 dark:text-red-400" : "text-slate-900 dark:text-slate-100"}`}
        >
          {formatCredits(balance)} credits
        </span>
        <span data-testid="balance-usd" className="tabular-nums">
          {" "}
          (worth {formatCents(creditsToCents(balance, config.creditsPerDollar))})
        </span>
      </p>
      {left && <LeftCheckoutNote teamSlug={team.slug} payment={left} canPay={canPay && paymentsReady} />}
      {!canPay && (
        <p
          role="note"
          className="mt-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100"
        >
          Your role in this team ({role.toLowerCase()}) can see this page but not pay. Ask an owner, an admin or a billing member to top up.
        </p>
      )}
      {!paymentsReady && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          Payments are not set up on this installation yet (no Stripe keys). Top-ups are unavailable.
        </p>
      )}
      <TopUpClient
        teamSlug={team.slug}
        canPay={canPay && paymentsReady}
        publishableKey={publishableKey}
        methods={topUpMethodOptions({ config })}
        presetsCents={presets}
        minCents={config.topUpMinCents}
        maxCents={config.topUpMaxCents}
        creditsPerDollar={config.creditsPerDollar}
      />
      {history && <PaymentHistory page={history} basePath={`/t/${team.slug}/top-up`} invoiceFor={canPay ? team.slug : undefined} />}
    </section>
  );
}
