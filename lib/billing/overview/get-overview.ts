import { type Actor, can } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { getBudget } from "../budgets/get-budget";
import { billingConfig, BUDGET_ALERT_THRESHOLDS } from "../config";
import { BillingError } from "../errors";
import { getBalance } from "../ledger/get-balance";
import { listEntries } from "../ledger/list-entries";
import { getDrawSummary, type DrawSummary } from "../statements/get-draw-summary";
import { getTeamPlan } from "../plans/get-team-plan";
import { getUsageSeries } from "../usage/get-usage-series";
import { creditsToCents, entryCents, formatCount } from "../money";
import { getCycleFigures } from "./get-cycle-figures";
import { startOfUtcDay } from "../dates";

/** Everything the Overview page shows: credits and cents as bigint, moments as Date (the route's contract encodes them). */
export type OverviewView = {
  asOf: Date;
  balance: bigint;
  /** The balance in cents at the configured rate (CREDITS_PER_DOLLAR), for people who think in dollars. */
  balanceCents: bigint;
  available: bigint;
  creditLimit: bigint;
  drawn: bigint;
  cycle: {
    start: Date;
    end: Date;
    source: "subscription" | "month";
    opening: bigint;
    plan: bigint;
    purchased: bigint;
    granted: bigint;
    removed: bigint;
    total: bigint;
    used: bigint;
    remaining: bigint;
  };
  plan: {
    id: string;
    name: string;
    free: boolean;
    canBuyCredits: boolean;
    monthlyCredits: bigint | null;
    status: string | null;
    renewsAt: Date | null;
    cancelAtPeriodEnd: boolean;
  };
  /** Left out (undefined) for a role without billing:read; null when the team has no budget. */
  budget?: {
    capCredits: bigint;
    capCents: bigint;
    spendCredits: bigint;
    spendCents: bigint;
    /** Spend as a percentage of the cap, one decimal (for the progress bar). */
    percent: number;
    hardCap: boolean;
    thresholds: number[];
    alertsSent: number[];
    month: string;
  } | null;
  /** Average daily usage over the last 7 days and how long the available credits last at that pace. */
  forecast: { avgDailyCredits: bigint; daysLeft: number | null };
  lowBalance: { low: boolean; reason: string | null };
  nextExpiry: { at: Date; credits: bigint } | null;
  usage: {
    days: { day: string; credits: bigint; byOperation: Record<string, bigint> }[];
    operations: { operation: string; credits: bigint; quantity: bigint; events: bigint }[];
  };
  recent: {
    id: string;
    createdAt: Date;
    kind: string;
    description: string | null;
    operation: string | null;
    amount: bigint;
    amountCents: bigint | null;
    /** Usage through a test key. */
    test: boolean;
    balanceAfter: bigint;
  }[];
  pendingPayments: number;
  /** What is drawn below zero and billed when the cycle closes; left out for a role without billing:read. */
  draw?: DrawSummary;
  /** Left out for a role without billing:read. */
  autoTopUp?: { enabled: boolean; disabledReason: string | null; thresholdCredits: bigint | null };
};

const DAY = 86_400_000;

/**
 * The Overview's figures for a team, each from an index-backed read whose cost does not grow with history: balance and
 * grants (teams, live grants), cycle figures (getCycleFigures), budget (spend counter), usage (daily rollups of the
 * cycle), the last ledger entries (newest first on (team_id, created_at)), recent pending payments. For the actor's
 * team, as the actor may see it: the budget and auto top-up settings only with billing:read (the API refuses them
 * otherwise), so the page and the route cannot show a member more than the API would.
 */
export async function getOverview({
  db,
  actor,
  now = new Date(),
  recentLimit = 10,
}: {
  db: Tx;
  actor: Actor;
  now?: Date;
  recentLimit?: number;
}): Promise<OverviewView> {
  const teamId = actor.teamId;
  const config = billingConfig();
  const billing = can(actor, "billing:read");
  const team = await db.team.findUnique({ where: { id: teamId }, select: { id: true } });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const plan = await getTeamPlan({ db, teamId, now });
  const seriesFrom = startOfUtcDay(plan.cycleStart);
  const seriesTo = new Date(Math.max(startOfUtcDay(now).getTime() + DAY, seriesFrom.getTime() + DAY));
  const weekFrom = new Date(startOfUtcDay(now).getTime() - 6 * DAY);
  const [balance, cycle, budget, series, week, recent, pendingPayments, auto, draw] = await Promise.all([
    getBalance({ db, teamId }),
    getCycleFigures({ db, teamId, cycleStart: plan.cycleStart }),
    billing ? getBudget({ db, teamId, now }) : null,
    getUsageSeries({ db, teamId, from: seriesFrom, to: seriesTo }),
    db.usageRollup.aggregate({ where: { teamId, day: { gte: weekFrom, lt: seriesTo } }, _sum: { credits: true } }),
    listEntries({ db, teamId, limit: recentLimit }),
    db.payment.count({ where: { teamId, status: "PENDING", createdAt: { gte: new Date(now.getTime() - 3600_000) } } }),
    billing ? db.autoTopUp.findUnique({ where: { teamId }, select: { enabled: true, disabledReason: true, thresholdCredits: true } }) : null,
    billing ? getDrawSummary({ db, teamId, now, cycleEnd: plan.cycleEnd }) : null,
  ]);

  const days = new Map<string, { credits: bigint; byOperation: Record<string, bigint> }>();
  for (let t = seriesFrom.getTime(); t < seriesTo.getTime() && t <= now.getTime(); t += DAY)
    days.set(new Date(t).toISOString().slice(0, 10), { credits: 0n, byOperation: {} });
  const ops = new Map<string, { credits: bigint; quantity: bigint; events: bigint }>();
  for (const p of series) {
    const d = days.get(p.day) ?? { credits: 0n, byOperation: {} };
    d.credits += p.credits;
    // Own keys only: an operation may be named "constructor", which a plain object otherwise inherits.
    d.byOperation[p.operation] = (Object.hasOwn(d.byOperation, p.operation) ? d.byOperation[p.operation]! : 0n) + p.credits;
    days.set(p.day, d);
    const o = ops.get(p.operation) ?? { credits: 0n, quantity: 0n, events: 0n };
    o.credits += p.credits;
    o.quantity += p.quantity;
    o.events += p.events;
    ops.set(p.operation, o);
  }

  const weekCredits = week._sum.credits ?? 0n;
  const daysSoFar = Math.max(1, Math.min(7, Math.ceil((now.getTime() - weekFrom.getTime()) / DAY)));
  const avgDaily = weekCredits / BigInt(daysSoFar);
  const daysLeft = avgDaily > 0n ? Number(balance.available / avgDaily) : null;
  const low = lowBalance({ available: balance.available, total: cycle.total, daysLeft, threshold: auto?.enabled ? auto.thresholdCredits : null });

  const b = budget?.budget ?? null;
  const budgetFigures: OverviewView["budget"] =
    budget === null
      ? undefined
      : b
        ? {
            capCredits: b.monthlyCapCredits,
            capCents: b.monthlyCapCents,
            spendCredits: budget.spendCredits,
            spendCents: budget.spendCents,
            percent: b.monthlyCapCredits > 0n ? Number((budget.spendCredits * 1000n) / b.monthlyCapCredits) / 10 : 0,
            hardCap: b.hardCap || !b.allowSoftOverage,
            thresholds: [...BUDGET_ALERT_THRESHOLDS],
            alertsSent: budget.alertsSent,
            month: budget.month,
          }
        : null;
  return {
    asOf: now,
    balance: balance.balance,
    balanceCents: creditsToCents(balance.balance, config.creditsPerDollar),
    available: balance.available,
    creditLimit: balance.creditLimitCredits,
    drawn: balance.drawn,
    cycle: {
      start: plan.cycleStart,
      end: plan.cycleEnd,
      source: plan.cycleSource,
      opening: cycle.opening,
      plan: cycle.plan,
      purchased: cycle.purchased,
      granted: cycle.granted,
      removed: cycle.removed,
      total: cycle.total,
      used: cycle.used,
      remaining: cycle.remaining,
    },
    plan: {
      id: plan.plan.id,
      name: plan.plan.name,
      free: plan.free,
      canBuyCredits: plan.canBuyCredits,
      monthlyCredits: plan.plan.monthlyCredits,
      status: plan.subscription?.status.toLowerCase() ?? null,
      renewsAt: plan.subscription?.currentPeriodEnd ?? null,
      cancelAtPeriodEnd: plan.subscription?.cancelAtPeriodEnd ?? false,
    },
    ...(budgetFigures !== undefined && { budget: budgetFigures }),
    forecast: { avgDailyCredits: avgDaily, daysLeft },
    lowBalance: low,
    nextExpiry: balance.nextExpiry,
    usage: {
      days: [...days.entries()].sort(([a], [b2]) => a.localeCompare(b2)).map(([day, d]) => ({ day, credits: d.credits, byOperation: d.byOperation })),
      operations: [...ops.entries()]
        .sort(([, a], [, b2]) => (b2.credits > a.credits ? 1 : b2.credits < a.credits ? -1 : 0))
        .map(([operation, o]) => ({ operation, ...o })),
    },
    recent: recent.entries.map(({ id, createdAt, kind, description, operation, amount, balanceAfter, test }) => ({
      id,
      test,
      createdAt,
      kind,
      description,
      operation,
      amount,
      amountCents: entryCents({ kind, amount }, config.creditsPerDollar),
      balanceAfter,
    })),
    pendingPayments,
    ...(draw && { draw }),
    ...(billing && {
      autoTopUp: { enabled: auto?.enabled ?? false, disabledReason: auto?.disabledReason ?? null, thresholdCredits: auto?.thresholdCredits ?? null },
    }),
  };
}

/** Low when nothing is left to spend, when the balance lasts under a week at the recent pace, or under 10% of the cycle is left. */
function lowBalance({
  available,
  total,
  daysLeft,
  threshold,
}: {
  available: bigint;
  total: bigint;
  daysLeft: number | null;
  threshold: bigint | null;
}): OverviewView["lowBalance"] {
  if (available <= 0n) return { low: true, reason: "No credits left to spend: usage is being refused." };
  if (threshold !== null && available < threshold) return { low: true, reason: "The balance is below your auto top-up threshold." };
  if (daysLeft !== null && daysLeft < 7)
    return { low: true, reason: `At the last week's pace the balance lasts about ${formatCount(daysLeft)} day${daysLeft === 1 ? "" : "s"}.` };
  if (total > 0n && available * 10n < total) return { low: true, reason: "Less than 10% of this cycle's credits are left." };
  return { low: false, reason: null };
}
