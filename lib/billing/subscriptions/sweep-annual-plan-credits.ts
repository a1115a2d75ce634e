import type { Db, Tx } from "../../db/client";
import { reconcileInvoiceAfterGrant } from "../invoices/invoice-money";
import { creditCredits } from "../ledger/credit-credits";
import { closeTeamDraw } from "../statements/close-team-draw";
import { creditMonth } from "./credit-month";
import { annualMonthKey, cycleReference } from "./grant-plan-credits";

/**
 * Grants the running month's plan credits to annual subscriptions that have not had them yet: the yearly invoice
 * grants the first month, this the eleven after it (ledger key annualMonthKey, one per subscription and month, each
 * expiring at its month's end). Only subscriptions Stripe says are paid up (active or trialing) in a period not yet
 * over; a month whose grant is missing because the job did not run is granted late, never twice. Safe to run anywhere
 * at once; meant for the periodic job beside the Free allowance sweep. Returns how many grants it made.
 */
export async function sweepAnnualPlanCredits({
  db,
  now = new Date(),
  pageSize = 500,
}: {
  db: Db;
  now?: Date;
  pageSize?: number;
}): Promise<{ granted: number }> {
  let granted = 0;
  for (let cursor: string | undefined; ;) {
    const subs = await db.subscription.findMany({
      where: {
        billingCycle: "ANNUAL",
        status: { in: ["ACTIVE", "TRIALING"] },
        stripeSubscriptionId: { not: null },
        currentPeriodStart: { lte: now },
        currentPeriodEnd: { gt: now },
        plan: { monthlyCredits: { gt: 0n } },
        ...(cursor ? { id: { gt: cursor } } : {}),
      },
      select: {
        id: true,
        teamId: true,
        stripeSubscriptionId: true,
        currentPeriodStart: true,
        currentPeriodEnd: true,
        plan: { select: { id: true, monthlyCredits: true } },
      },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    const due = subs
      .map((s) => ({ s, month: creditMonth({ periodStart: s.currentPeriodStart, periodEnd: s.currentPeriodEnd, cycle: "ANNUAL", at: now }) }))
      // Month 0 is the yearly invoice's own grant.
      .filter(({ month }) => month.index > 0)
      .map((d) => ({ ...d, key: annualMonthKey(d.s.stripeSubscriptionId!, d.month.start) }));
    const done = new Set(
      (
        await db.ledgerEntry.findMany({
          where: { teamId: { in: due.map((d) => d.s.teamId) }, idempotencyKey: { in: due.map((d) => d.key) } },
          select: { idempotencyKey: true },
        })
      ).map((e) => e.idempotencyKey),
    );
    for (const { s, month, key } of due.filter((d) => !done.has(d.key))) {
      // Last month's draw below zero is billed, not repaid by this month's credits.
      await closeTeamDraw({ db, teamId: s.teamId, closesAt: month.start, now });
      const r = await db.$transaction(async (tx) => {
        // The team's lock orders this with the yearly invoice's refund and dispute news (reconcileInvoiceCredits).
        await tx.$queryRaw`SELECT id FROM teams WHERE id = ${s.teamId} FOR UPDATE`;
        const invoice = await yearlyInvoiceOf(tx, s.teamId, s.stripeSubscriptionId!);
        const r = await creditCredits({
          db: tx,
          teamId: s.teamId,
          amount: s.plan.monthlyCredits!,
          kind: "PLAN_GRANT",
          idempotencyKey: key,
          cycleEnd: month.end,
          referenceType: "subscription_cycle",
          referenceId: cycleReference(s.stripeSubscriptionId!, month.start),
          description: `${s.plan.id} plan credits, month ${month.index + 1} of 12`,
          // Paid by the yearly invoice: its refunds and disputes take back their share of every month's credits.
          metadata: { plan: s.plan.id, month: String(month.index + 1), ...(invoice ? { invoice } : {}) },
        });
        if (!r.duplicate && invoice) await reconcileInvoiceAfterGrant({ db: tx, stripeInvoiceId: invoice });
        return r;
      });
      if (!r.duplicate) granted++;
    }
    if (subs.length < pageSize) return { granted };
    cursor = subs[subs.length - 1]!.id;
  }
}

/** The Stripe invoice that paid the subscription's running year: the one its latest invoice-paid plan grant names. */
async function yearlyInvoiceOf(tx: Tx, teamId: string, subscriptionId: string): Promise<string | null> {
  const prefix = `${subscriptionId}:`;
  const [row] = await tx.$queryRaw<{ invoice: string | null }[]>`
    SELECT metadata->>'invoice' AS invoice FROM ledger_entries
     WHERE team_id = ${teamId} AND kind = 'PLAN_GRANT' AND reference_type = 'subscription_cycle'
       AND left(reference_id, length(${prefix})) = ${prefix} AND metadata ? 'invoice'
     ORDER BY seq DESC LIMIT 1`;
  return row?.invoice ?? null;
}
