import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { type Column, DataTable, EmptyNote } from "@/components/data-table";
import { formatCents, formatCredits, formatDateTime, formatDay } from "@/components/format";
import { LedgerTable } from "@/components/ledger-table";
import { PageHeader } from "@/components/page-header";
import { PaymentStatusBadge } from "@/components/payment-status-badge";
import { type CustomerView, getCustomer } from "@/lib/billing/customers/get-customer";
import { isBillingError } from "@/lib/billing/errors";
import { paymentBroughtNothing, subscriptionStatusWords } from "@/lib/billing/words";
import { adminPage } from "@/lib/edge/page";
import { AdjustCreditsForm, AdjustmentDecision, RefundPayment } from "./customer-actions";

export const metadata: Metadata = { title: "Customer" };
export const dynamic = "force-dynamic";

const card = "rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900";

type Payment = CustomerView["payments"][number];

const paymentColumns = (teamId: string): Column<Payment>[] => [
  {
    header: "Date",
    cell: (p) => (
      <>
        {formatDateTime(p.createdAt)}
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {p.kindLabel} · {p.methodLabel}
        </span>
      </>
    ),
  },
  {
    header: "Amount",
    align: "right",
    className: "tabular-nums",
    cell: (p) => (
      <>
        {formatCents(p.amountCents, p.currency)}
        {p.refundedCents > 0n && <span className="block text-xs text-slate-600 dark:text-slate-400">{formatCents(p.refundedCents, p.currency)} refunded</span>}
      </>
    ),
  },
  { header: "Status", cell: (p) => <PaymentStatusBadge status={p.status} /> },
  { header: "Credits", align: "right", className: "tabular-nums", cell: (p) => (paymentBroughtNothing(p.status) ? "—" : formatCredits(p.totalCredits)) },
  {
    header: "Refund",
    hideHeader: true,
    cell: (p) =>
      p.refundableCents > 0n && (
        <RefundPayment
          teamId={teamId}
          paymentId={p.id}
          currency={p.currency}
          paid={formatCents(p.amountCents, p.currency)}
          refundable={formatCents(p.refundableCents, p.currency)}
        />
      ),
  },
];

async function load(db: Parameters<typeof getCustomer>[0]["db"], teamId: string): Promise<CustomerView> {
  try {
    return await getCustomer({ db, teamId });
  } catch (e) {
    if (isBillingError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}

export default async function CustomerPage({ params }: { params: Promise<{ team: string }> }) {
  const { db, admin } = await adminPage();
  const { team: teamId } = await params;
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(teamId)) notFound();
  const c = await load(db, teamId);
  const pending = c.adjustments.filter((a) => a.status === "PENDING");
  return (
    <section aria-labelledby="page-title">
      <PageHeader back={{ href: "/admin/customers", label: "Customers" }} title={c.team.name}>
        <p className="mt-1 break-all text-sm text-slate-600 dark:text-slate-400">
          {c.team.slug} · {c.team.id}
          {c.team.stripeCustomerId ? ` · ${c.team.stripeCustomerId}` : " · no Stripe customer yet"} · since {formatDay(c.team.createdAt)}
        </p>
      </PageHeader>
      <p className="mt-2 text-sm">
        <Link href={`/admin/customers/${c.team.id}/audit`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Audit log →
        </Link>
      </p>

      <dl className="mt-6 grid gap-4 sm:grid-cols-3">
        <div className={card}>
          <dt className="text-sm text-slate-600 dark:text-slate-400">Balance</dt>
          <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid="customer-balance">
            {formatCredits(c.balance.balance)} credits
          </dd>
          <dd className="text-sm tabular-nums text-slate-600 dark:text-slate-400">about {formatCents(c.balance.balanceCents)}</dd>
          <dd className="text-sm tabular-nums text-slate-600 dark:text-slate-400">{formatCredits(c.balance.available)} available to spend</dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-slate-600 dark:text-slate-400">Plan</dt>
          <dd className="mt-1 text-lg font-semibold">{c.plan.name}</dd>
          <dd className="text-sm text-slate-600 dark:text-slate-400">
            {c.plan.subscriptionStatus ? `Subscription ${subscriptionStatusWords(c.plan.subscriptionStatus).toLowerCase()}` : "No subscription"} · cycle ends{" "}
            {formatDay(c.plan.cycleEnd)}
          </dd>
        </div>
        <div className={card}>
          <dt className="text-sm text-slate-600 dark:text-slate-400">Credit line</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums">
            {c.creditLine.limitCents > 0n ? `${formatCents(c.creditLine.limitCents)} a month` : "None"}
          </dd>
          <dd className="text-sm text-slate-600 dark:text-slate-400">
            {c.creditLine.suspended
              ? `Drawing suspended (${c.creditLine.suspendedReason === "ADMIN" ? "by an admin" : "statement overdue"})`
              : "Drawing allowed"}
            {c.balance.drawn > 0n ? ` · ${formatCredits(c.balance.drawn)} credits drawn` : ""}
          </dd>
        </div>
      </dl>

      <section aria-labelledby="members-title" className="mt-8">
        <h2 id="members-title" className="text-lg font-semibold">
          Members
        </h2>
        <ul className="mt-2 flex flex-wrap gap-2 text-sm">
          {c.members.map((m, i) => (
            <li key={i} className="rounded-full bg-slate-100 px-3 py-1 dark:bg-slate-800">
              {m.email ?? m.name ?? "—"} <span className="text-slate-600 dark:text-slate-400">· {m.role.toLowerCase()}</span>
            </li>
          ))}
        </ul>
      </section>

      <section id="adjustments" aria-labelledby="adjust-title" className="mt-8">
        <h2 id="adjust-title" className="text-lg font-semibold">
          Adjust credits
        </h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          A correction with a reason, written to the ledger and the audit log. {formatCredits(c.secondApprovalCredits)} credits or more (added or removed,
          counted with your other adjustments of this team in the last 24 hours) waits for a second platform admin.
        </p>
        <div className="mt-3">
          <AdjustCreditsForm teamId={c.team.id} teamName={c.team.name} creditsPerDollar={c.creditsPerDollar.toString()} />
        </div>
        {pending.length > 0 && (
          <ul className="mt-4 space-y-3" aria-label="Adjustments waiting for a second admin">
            {pending.map((a) => (
              <li key={a.id} className={`${card} text-sm`}>
                <p>
                  <span className="font-semibold tabular-nums">
                    {a.amount > 0n ? "+" : ""}
                    {formatCredits(a.amount)} credits
                  </span>{" "}
                  — “{a.reason}”, asked by {a.requestedBy ?? "a former admin"} on {formatDateTime(a.createdAt)}
                </p>
                <p className="mt-1 text-slate-600 dark:text-slate-400">{a.why}</p>
                <AdjustmentDecision id={a.id} mine={a.requestedByUserId === admin.id} amount={a.amount.toString()} />
              </li>
            ))}
          </ul>
        )}
        {c.adjustments.some((a) => a.status !== "PENDING") && (
          <details className="mt-3 text-sm">
            <summary className="cursor-pointer text-indigo-700 dark:text-indigo-300">Earlier adjustments that needed a second admin</summary>
            <ul className="mt-2 space-y-1">
              {c.adjustments
                .filter((a) => a.status !== "PENDING")
                .map((a) => (
                  <li key={a.id}>
                    {formatDateTime(a.createdAt)}: {a.amount > 0n ? "+" : ""}
                    {formatCredits(a.amount)} — “{a.reason}” by {a.requestedBy ?? "—"}; {a.status === "CONFIRMED" ? "confirmed" : "declined"} by{" "}
                    {a.decidedBy ?? "—"}
                    {a.decisionReason ? ` (“${a.decisionReason}”)` : ""}
                  </li>
                ))}
            </ul>
          </details>
        )}
      </section>

      <section aria-labelledby="payments-title" className="mt-8">
        <h2 id="payments-title" className="text-lg font-semibold">
          Recent payments
        </h2>
        <DataTable
          columns={paymentColumns(c.team.id)}
          rows={c.payments}
          rowKey={(p) => p.id}
          caption="Recent payments, newest first"
          rowTestId="customer-payment"
          rowClassName="align-top"
          className="mt-3"
          empty="No payments yet."
        />
      </section>

      <section aria-labelledby="ledger-title" className="mt-8">
        <h2 id="ledger-title" className="text-lg font-semibold">
          Recent ledger entries
        </h2>
        {c.entries.length === 0 ? (
          <EmptyNote className="mt-3">No entries yet.</EmptyNote>
        ) : (
          <div className="mt-3">
            <LedgerTable rows={c.entries} caption="Recent ledger entries, newest first" rowTestId="customer-ledger-row" />
          </div>
        )}
      </section>
    </section>
  );
}
