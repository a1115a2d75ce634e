import type { Db } from "../../db/client";
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
      const r = await creditCredits({
        db,
        teamId: s.teamId,
        amount: s.plan.monthlyCredits!,
        kind: "PLAN_GRANT",
        idempotencyKey: key,
        cycleEnd: month.end,
        referenceType: "subscription_cycle",
        referenceId: cycleReference(s.stripeSubscriptionId!, month.start),
        description: `${s.plan.id} plan credits, month ${month.index + 1} of 12`,
        metadata: { plan: s.plan.id, month: String(month.index + 1) },
      });
      if (!r.duplicate) granted++;
    }
    if (subs.length < pageSize) return { granted };
    cursor = subs[subs.length - 1]!.id;
  }
}
