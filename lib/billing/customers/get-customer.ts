import type { Tx } from "../../db/client";
import type { AdjustmentStatus, TeamRole } from "../../db/generated/enums";
import { secondAdminWhy } from "../adjustments/adjustment-rules";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError } from "../errors";
import { type BalanceView, getBalance } from "../ledger/get-balance";
import { listEntries } from "../ledger/list-entries";
import { creditsToCents, entryCents } from "../money";
import { listPayments } from "../payments/list-payments";
import type { PaymentView } from "../payments/payment-view";
import { getTeamPlan, type TeamPlan } from "../plans/get-team-plan";

export type CustomerPayment = PaymentView & {
  /** What may still be refunded through Stripe, in the payment's minor unit (0 when it cannot be refunded). */
  refundableCents: bigint;
};

export type AdjustmentRequestView = {
  id: string;
  amount: bigint;
  reason: string;
  status: AdjustmentStatus;
  createdAt: Date;
  requestedBy: string | null;
  requestedByUserId: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: Date | null;
  /** Why it waited for a second admin, in words. */
  why: string;
};

export type CustomerView = {
  team: { id: string; name: string; slug: string; stripeCustomerId: string | null; createdAt: Date };
  members: { email: string | null; name: string | null; role: TeamRole }[];
  balance: BalanceView & { balanceCents: bigint };
  plan: { name: string; free: boolean; subscriptionStatus: string | null; cycleEnd: Date };
  creditLine: { limitCents: bigint; suspended: boolean; suspendedReason: string | null };
  payments: CustomerPayment[];
  entries: { id: string; createdAt: Date; kind: string; details: string | null; amount: bigint; amountCents: bigint | null; balanceAfter: bigint }[];
  adjustments: AdjustmentRequestView[];
  /** Adjustments of at least this many credits (either sign) wait for a second admin. */
  secondApprovalCredits: bigint;
  creditsPerDollar: bigint;
};

const REFUNDABLE = ["SUCCEEDED", "PARTIALLY_REFUNDED"];

/** What a payment may still refund: paid, not disputed, charged through Stripe, less what Stripe has refunded. */
export function refundableCents(p: { status: string; amountCents: bigint; refundedCents: bigint; stripeRef: boolean }): bigint {
  if (!p.stripeRef || !REFUNDABLE.includes(p.status.toUpperCase())) return 0n;
  const left = p.amountCents - p.refundedCents;
  return left > 0n ? left : 0n;
}

const who = (u: { email: string | null; name: string | null } | null) => (u ? (u.email ?? u.name ?? "an admin") : null);

/** One team as a platform admin sees it (the caller checked the admin): balance, plan, line, payments, ledger. */
export async function getCustomer({ db, teamId, config = billingConfig() }: { db: Tx; teamId: string; config?: BillingConfig }): Promise<CustomerView> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: {
      id: true,
      name: true,
      slug: true,
      stripeCustomerId: true,
      createdAt: true,
      creditLimitCents: true,
      drawSuspendedAt: true,
      drawSuspendedReason: true,
      memberships: { select: { role: true, user: { select: { email: true, name: true } } }, orderBy: { createdAt: "asc" }, take: 100 },
    },
  });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const [balance, plan, payments, ledger, requests] = await Promise.all([
    getBalance({ db, teamId }),
    getTeamPlan({ db, teamId }),
    listPayments({ db, teamId, pageSize: 20 }),
    listEntries({ db, teamId, limit: 20 }),
    db.creditAdjustmentRequest.findMany({
      where: { teamId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 20,
      include: { requestedBy: { select: { email: true, name: true } }, decidedBy: { select: { email: true, name: true } } },
    }),
  ]);
  const refs = await db.payment.findMany({
    where: { id: { in: payments.items.map((p) => p.id) } },
    select: { id: true, stripePaymentIntent: true, stripeCharge: true },
  });
  const hasRef = new Map(refs.map((r) => [r.id, r.stripePaymentIntent !== null || r.stripeCharge !== null]));
  return {
    team: { id: team.id, name: team.name, slug: team.slug, stripeCustomerId: team.stripeCustomerId, createdAt: team.createdAt },
    members: team.memberships.map((m) => ({ email: m.user.email, name: m.user.name, role: m.role })),
    balance: { ...balance, balanceCents: creditsToCents(balance.balance, config.creditsPerDollar) },
    plan: planSummary(plan),
    creditLine: { limitCents: team.creditLimitCents, suspended: team.drawSuspendedAt !== null, suspendedReason: team.drawSuspendedReason },
    payments: payments.items.map((p) => ({ ...p, refundableCents: refundableCents({ ...p, stripeRef: hasRef.get(p.id) ?? false }) })),
    entries: ledger.entries.map((e) => ({
      id: e.id,
      createdAt: e.createdAt,
      kind: e.kind,
      amount: e.amount,
      amountCents: entryCents(e, config.creditsPerDollar),
      balanceAfter: e.balanceAfter,
      details: [e.operation, e.description].filter(Boolean).join(" · ") || null,
    })),
    adjustments: requests.map((r) => ({
      id: r.id,
      amount: r.amount,
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt,
      requestedBy: who(r.requestedBy),
      requestedByUserId: r.requestedByUserId,
      decidedBy: who(r.decidedBy),
      decisionReason: r.decisionReason,
      decidedAt: r.decidedAt,
      why: secondAdminWhy(r, config.adjustmentSecondApprovalCredits),
    })),
    secondApprovalCredits: config.adjustmentSecondApprovalCredits,
    creditsPerDollar: config.creditsPerDollar,
  };
}

function planSummary(p: TeamPlan): CustomerView["plan"] {
  return { name: p.plan.name, free: p.free, subscriptionStatus: p.subscription?.status ?? null, cycleEnd: p.cycleEnd };
}
