import type { Tx } from "../../db/client";
import { reconcileInvoiceAfterGrant } from "../invoices/invoice-money";
import { creditCredits } from "../ledger/credit-credits";
import { closeTeamDraw } from "../statements/close-team-draw";
import { creditMonth } from "./credit-month";
import { planForPrice } from "./plan-for-price";
import type { SubscriptionInvoiceSnapshot } from "./subscription-port";

/** Ledger reference of the plan credits of one subscription period: every plan grant of the period carries it. */
export const cycleReference = (subscriptionId: string, periodStart: Date) => `${subscriptionId}:${periodStart.toISOString()}`;
const REFERENCE_TYPE = "subscription_cycle";

/** Ledger key of an annual subscription's plan credits for the month starting at `monthStart` (months after the first). */
export const annualMonthKey = (subscriptionId: string, monthStart: Date) => `plan:${subscriptionId}:${monthStart.toISOString()}`;

/**
 * A paid subscription invoice (the first or a renewal) grants the monthly credits of the plan its line bills, once
 * (ledger key `plan:<invoice id>`), as a PLAN grant expiring with the period it bills; for an annual plan, with the
 * month of the period it is paid in (creditMonth; the other months come from sweepAnnualPlanCredits, under
 * annualMonthKey, which a late-paid invoice also uses so the two never grant one month twice). A proration invoice grants
 * nothing itself (an upgrade's difference is granted by grantPlanDifference), except one whose plan line bills a whole new
 * period (monthly ↔ annual starts a new cycle at once): that is the new cycle's first invoice. Nor does an invoice whose
 * period is over.
 */
export async function grantInvoicePlanCredits({
  db,
  teamId,
  invoice,
  now = new Date(),
}: {
  db: Tx;
  teamId: string;
  invoice: SubscriptionInvoiceSnapshot;
  now?: Date;
}): Promise<string> {
  if (invoice.status !== "paid" || !invoice.subscriptionId) return "no plan credits: not a paid subscription invoice";
  if (invoice.billingReason === "subscription_update" && invoice.planLineProration !== false) return "no plan credits: a proration invoice";
  if (invoice.periodEnd.getTime() <= now.getTime()) return "no plan credits: its period is over";
  const plan = await planForPrice({ db, lookupKey: invoice.priceLookupKey, pricePlan: invoice.pricePlan, teamId });
  if (!plan?.monthlyCredits || plan.monthlyCredits <= 0n) return "no plan credits: the plan has none";
  const month = creditMonth({ periodStart: invoice.periodStart, periodEnd: invoice.periodEnd, cycle: plan.billingCycle, at: now });
  const idempotencyKey = month.index === 0 ? `plan:${invoice.id}` : annualMonthKey(invoice.subscriptionId, month.start);
  let amount = plan.monthlyCredits;
  if (invoice.billingReason === "subscription_update") {
    // A new cycle started mid-month (monthly ↔ annual) tops the plan credits up to one month's worth, never adds a
    // second month beside the one still running: otherwise switching back and forth would mint a month each time.
    if (await db.ledgerEntry.findFirst({ where: { teamId, idempotencyKey }, select: { id: true } })) return "plan credits already granted";
    amount -= await livePlanCredits({ db, teamId, subscriptionId: invoice.subscriptionId, now });
    if (amount <= 0n) return "no plan credits: this month's are already granted";
  }
  // The last cycle's draw below zero is closed into its statement first: the new credits would otherwise repay it.
  if (!(await db.ledgerEntry.findFirst({ where: { teamId, idempotencyKey }, select: { id: true } }))) {
    await closeTeamDraw({ db, teamId, closesAt: month.start, now });
  }
  const r = await creditCredits({
    db,
    teamId,
    amount,
    kind: "PLAN_GRANT",
    idempotencyKey,
    cycleEnd: month.end,
    referenceType: REFERENCE_TYPE,
    referenceId: cycleReference(invoice.subscriptionId, month.start),
    description: `${plan.id} plan credits`,
    metadata: { invoice: invoice.id, plan: plan.id },
  });
  if (r.duplicate) return "plan credits already granted";
  // A refund or dispute of the invoice's charge that arrived before the invoice.paid news applies now.
  const taken = await reconcileInvoiceAfterGrant({ db, stripeInvoiceId: invoice.id });
  return `granted ${amount} plan credits${taken > 0n ? `, ${taken} taken back by its charge's refunds and disputes` : ""}`;
}

/** Plan credits granted for a subscription that have not expired yet (as granted, spent or not). */
export async function livePlanCredits({ db, teamId, subscriptionId, now }: { db: Tx; teamId: string; subscriptionId: string; now: Date }): Promise<bigint> {
  const prefix = `${subscriptionId}:`;
  const [row] = await db.$queryRawUnsafe<{ total: bigint | null }[]>(
    `SELECT sum(l.amount)::bigint AS total FROM ledger_entries l LEFT JOIN credit_grants g ON g.id = l.grant_id
      WHERE l.team_id = $1 AND l.kind = 'PLAN_GRANT' AND l.reference_type = $2 AND left(l.reference_id, length($3)) = $3
        AND (g.id IS NULL OR (g.expired_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > $4)))`,
    teamId,
    REFERENCE_TYPE,
    prefix,
    now,
  );
  return row?.total ?? 0n;
}

/**
 * After an upgrade within a paid period (for an annual plan: within the month of it that is running), the difference between the new plan's monthly credits and what the period has
 * already granted, once per plan and period (ledger key `plan:up:<period>:<plan>`). Nothing before the period's own
 * grant has arrived (that grant comes first, whatever the order of events), and a downgrade takes nothing back.
 */
export async function grantPlanDifference({
  db,
  teamId,
  subscriptionId,
  planId,
  monthlyCredits,
  periodStart,
  periodEnd,
  now = new Date(),
}: {
  db: Tx;
  teamId: string;
  subscriptionId: string;
  planId: string;
  monthlyCredits: bigint | null;
  periodStart: Date;
  periodEnd: Date;
  now?: Date;
}): Promise<string | null> {
  if (!monthlyCredits || periodEnd.getTime() <= now.getTime()) return null;
  const reference = cycleReference(subscriptionId, periodStart);
  const idempotencyKey = `plan:up:${reference}:${planId}`;
  // Nothing before the period's own grant; then up to one month of the plan, counting every plan credit of this
  // subscription still running (a new cycle's top-up included), so no path grants a month twice.
  const own = await db.ledgerEntry.count({ where: { teamId, kind: "PLAN_GRANT", referenceType: REFERENCE_TYPE, referenceId: reference } });
  const sum = await livePlanCredits({ db, teamId, subscriptionId, now });
  if (own === 0 || sum >= monthlyCredits) return null;
  if (await db.ledgerEntry.findFirst({ where: { teamId, idempotencyKey }, select: { id: true } })) return null;
  const difference = monthlyCredits - sum;
  await creditCredits({
    db,
    teamId,
    amount: difference,
    kind: "PLAN_GRANT",
    idempotencyKey,
    cycleEnd: periodEnd,
    referenceType: REFERENCE_TYPE,
    referenceId: reference,
    description: `Upgrade to ${planId}: plan credits difference`,
    metadata: { plan: planId },
  });
  return `granted the upgrade difference ${difference}`;
}
