import type { Tx } from "../../db/client";
import { creditCredits } from "../ledger/credit-credits";
import { planForPrice } from "./plan-for-price";
import type { SubscriptionInvoiceSnapshot } from "./subscription-port";

/** Ledger reference of the plan credits of one subscription period: every plan grant of the period carries it. */
export const cycleReference = (subscriptionId: string, periodStart: Date) => `${subscriptionId}:${periodStart.toISOString()}`;
const REFERENCE_TYPE = "subscription_cycle";

/**
 * A paid subscription invoice (the first or a renewal) grants the monthly credits of the plan its line bills, once
 * (ledger key `plan:<invoice id>`), as a PLAN grant expiring with the period it bills. A proration invoice grants
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
  const plan = await planForPrice({ db, lookupKey: invoice.priceLookupKey });
  if (!plan?.monthlyCredits || plan.monthlyCredits <= 0n) return "no plan credits: the plan has none";
  const r = await creditCredits({
    db,
    teamId,
    amount: plan.monthlyCredits,
    kind: "PLAN_GRANT",
    idempotencyKey: `plan:${invoice.id}`,
    cycleEnd: invoice.periodEnd,
    referenceType: REFERENCE_TYPE,
    referenceId: cycleReference(invoice.subscriptionId, invoice.periodStart),
    description: `${plan.id} plan credits`,
    metadata: { invoice: invoice.id, plan: plan.id },
  });
  return r.duplicate ? "plan credits already granted" : `granted ${plan.monthlyCredits} plan credits`;
}

/**
 * After an upgrade within a paid period, the difference between the new plan's monthly credits and what the period has
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
  const granted = await db.ledgerEntry.aggregate({
    where: { teamId, kind: "PLAN_GRANT", referenceType: REFERENCE_TYPE, referenceId: reference },
    _sum: { amount: true },
    _count: true,
  });
  const sum = granted._sum.amount ?? 0n;
  if (granted._count === 0 || sum >= monthlyCredits) return null;
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
