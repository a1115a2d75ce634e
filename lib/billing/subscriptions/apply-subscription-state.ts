import type { Actor } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import type { SubscriptionStatus } from "../../db/generated/enums";
import { billingConfig } from "../config";
import { creditMonth } from "./credit-month";
import { grantInvoicePlanCredits, grantPlanDifference } from "./grant-plan-credits";
import { notifyPaymentFailed } from "./notify-payment-failed";
import { planForPrice } from "./plan-for-price";
import { closeTeamDraw } from "../statements/close-team-draw";
import { syncOverageAllowance } from "../statements/overage-allowance";
import { planHasOverage } from "../usage/overage";
import { emitWebhookEvent } from "../webhooks/emit-event";
import type { SubscriptionInvoiceSnapshot, SubscriptionSnapshot } from "./subscription-port";

const DAY_MS = 86_400_000;

/** Stripe's status words in the schema's enum (cancel at period end stays ACTIVE with cancelAtPeriodEnd). */
export function subscriptionStatusOf(stripeStatus: string): SubscriptionStatus {
  switch (stripeStatus) {
    case "active":
      return "ACTIVE";
    case "trialing":
      return "TRIALING";
    case "past_due":
      return "PAST_DUE";
    case "unpaid":
      return "UNPAID";
    case "canceled":
    case "incomplete_expired":
      return "CANCELED";
    default:
      // incomplete, paused: not (yet) paying; the team stays on Free.
      return "INCOMPLETE";
  }
}

const LIVE: readonly SubscriptionStatus[] = ["ACTIVE", "TRIALING", "PAST_DUE"];

/**
 * Copies a subscription as Stripe has it now onto the team's row (upsert), inside the webhook's transaction, and grants
 * the plan credits a paid invoice (when given) and an upgrade owe. Convergent: the row only ever becomes what Stripe says
 * now, so duplicates and any order of events end in the same state. Rules: the plan changes only while Stripe says
 * active or trialing; a canceled (deleted) subscription leaves the team on Free; a failed renewal (past_due) starts a
 * grace period (SUBSCRIPTION_GRACE_DAYS) after which usage is refused (teams.unpaid_from), and a paid retry clears it.
 * An event about an older subscription that is over does not replace the team's live one.
 */
export async function applySubscriptionState({
  db,
  subscription: s,
  invoice,
  actor = null,
  now = new Date(),
}: {
  db: Tx;
  subscription: SubscriptionSnapshot;
  invoice?: SubscriptionInvoiceSnapshot | null;
  /** Who made the change through the dashboard or the API; null for Stripe's news (webhooks). */
  actor?: SubscriptionActor | null;
  now?: Date;
}): Promise<string> {
  const team =
    (s.customerId ? await db.team.findUnique({ where: { stripeCustomerId: s.customerId }, select: { id: true } }) : null) ??
    (s.teamId ? await db.team.findUnique({ where: { id: s.teamId }, select: { id: true } }) : null);
  if (!team) return "ignored: not a team's subscription";
  const plan = await planForPrice({ db, lookupKey: s.priceLookupKey, pricePlan: s.pricePlan, teamId: team.id });
  if (!plan) return "ignored: the price is not a Creditdesk plan";

  // One row per team, locked for the rest of the transaction (concurrent events of one team apply one after the other).
  await db.$queryRawUnsafe(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, team.id);
  const existing = await db.subscription.findUnique({ where: { teamId: team.id } });
  const status = subscriptionStatusOf(s.status);
  const same = existing?.stripeSubscriptionId === s.id;
  if (existing && !same && LIVE.includes(existing.status) && !LIVE.includes(status)) return "ignored: an older subscription of the team";
  const readAt = s.readAt ?? now;
  if (same && existing.stateReadAt && readAt.getTime() < existing.stateReadAt.getTime()) {
    // Older news than the row holds: the state stays; a paid invoice read with it still grants its credits (keyed).
    const granted = invoice && invoice.subscriptionId === s.id ? `; ${await grantInvoicePlanCredits({ db, teamId: team.id, invoice, now })}` : "";
    return `state not applied: read before the state already applied${granted}`;
  }

  const paying = s.status === "active" || s.status === "trialing";
  const planId = paying || !same || !existing ? plan.id : existing.planId;
  const billingCycle = paying || !same || !existing ? plan.billingCycle : existing.billingCycle;
  const owing = status === "PAST_DUE" || status === "UNPAID";
  const pastDueSince = owing ? ((same ? existing?.pastDueSince : null) ?? minDate(s.currentPeriodStart, now)) : null;
  const unpaidFrom =
    status === "UNPAID" ? pastDueSince : status === "PAST_DUE" ? new Date(pastDueSince!.getTime() + billingConfig().subscriptionGraceDays * DAY_MS) : null;

  const fields = {
    planId,
    billingCycle,
    status,
    stripeStatus: s.status,
    stripeSubscriptionId: s.id,
    currentPeriodStart: s.currentPeriodStart,
    currentPeriodEnd: s.currentPeriodEnd,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    canceledAt: s.canceledAt,
    pastDueSince,
    stateReadAt: readAt,
  };
  if (existing && existing.planId !== planId) {
    // A move between a plan with overage and one without (Enterprise, a custom plan, Free) closes what is drawn so far as
    // overage first: afterwards the draw would have no kind to bill it by.
    const both = await db.plan.findMany({ where: { id: { in: [existing.planId, planId] } }, select: { id: true, teamId: true } });
    const [was, next] = [both.find((p) => p.id === existing.planId), both.find((p) => p.id === planId)];
    if (was && next && planHasOverage(was) !== planHasOverage(next)) await closeTeamDraw({ db, teamId: team.id, closesAt: now, now });
  }
  if (existing) await db.subscription.update({ where: { id: existing.id }, data: fields });
  else await db.subscription.create({ data: { teamId: team.id, ...fields } });
  await auditSubscriptionChange({ db, teamId: team.id, existing, fields, actor });
  await db.team.update({ where: { id: team.id }, data: { unpaidFrom } });
  await syncOverageAllowance({ db, teamId: team.id });

  const notes = [`${s.id} ${s.status} on ${planId}`];
  if (owing && pastDueSince && unpaidFrom) {
    const queued = await notifyPaymentFailed({ db, teamId: team.id, subscriptionId: s.id, pastDueSince, graceEndsAt: unpaidFrom, unpaid: status === "UNPAID" });
    if (queued > 0) notes.push(`${queued} payment-failed notice(s) queued`);
  }
  if (invoice && invoice.subscriptionId === s.id) notes.push(await grantInvoicePlanCredits({ db, teamId: team.id, invoice, now }));
  if (paying && planId === plan.id) {
    const month = creditMonth({ periodStart: s.currentPeriodStart, periodEnd: s.currentPeriodEnd, cycle: plan.billingCycle, at: now });
    const diff = await grantPlanDifference({
      db,
      teamId: team.id,
      subscriptionId: s.id,
      planId,
      monthlyCredits: plan.monthlyCredits,
      periodStart: month.start,
      periodEnd: month.end,
      now,
    });
    if (diff) notes.push(diff);
  }
  return notes.join("; ");
}

export type SubscriptionActor = { userId?: string | null; apiKeyId?: string | null };

/** The audit log's actor for a change the actor's own request made. */
export const subscriptionActor = (actor: Actor): SubscriptionActor => (actor.kind === "apiKey" ? { apiKeyId: actor.apiKeyId } : { userId: actor.userId });

const planSide = (v: { planId: string; billingCycle: string; status: string; cancelAtPeriodEnd: boolean }) => ({
  plan: v.planId,
  billingCycle: v.billingCycle,
  status: v.status,
  cancelAtPeriodEnd: v.cancelAtPeriodEnd,
});

/**
 * The audit row of a change an owner cares about (plan, billing cycle, status, cancellation at the period end), with
 * both sides; a repeat of a state already applied (the webhook after a direct change) changes nothing and writes nothing.
 */
async function auditSubscriptionChange({
  db,
  teamId,
  existing,
  fields,
  actor,
}: {
  db: Tx;
  teamId: string;
  existing: { planId: string; billingCycle: string; status: string; cancelAtPeriodEnd: boolean; stripeSubscriptionId: string | null } | null;
  fields: {
    planId: string;
    billingCycle: string;
    status: string;
    cancelAtPeriodEnd: boolean;
    stripeSubscriptionId: string;
    currentPeriodStart: Date;
    currentPeriodEnd: Date;
  };
  actor: SubscriptionActor | null;
}): Promise<void> {
  const before = existing ? planSide(existing) : null;
  const after = planSide(fields);
  if (before && JSON.stringify(before) === JSON.stringify(after)) return;
  const plans = await db.plan.findMany({
    where: { id: { in: [...new Set([existing?.planId, fields.planId].filter((x): x is string => !!x))] } },
    select: { id: true, name: true },
  });
  const name = (id: string | undefined) => plans.find((p) => p.id === id)?.name ?? null;
  const audit = await db.auditLog.create({
    data: {
      teamId,
      actorUserId: actor?.userId ?? null,
      actorApiKeyId: actor?.apiKeyId ?? null,
      action: "subscription.changed",
      targetType: "subscription",
      targetId: fields.stripeSubscriptionId,
      data: { before, after, beforePlanName: name(existing?.planId), afterPlanName: name(fields.planId) },
    },
  });
  const side = (v: ReturnType<typeof planSide>, planName: string | null) => ({
    plan_id: v.plan,
    plan_name: planName,
    billing_cycle: v.billingCycle.toLowerCase(),
    status: v.status.toLowerCase(),
    cancel_at_period_end: v.cancelAtPeriodEnd,
  });
  await emitWebhookEvent(db, {
    teamId,
    type: "subscription_updated",
    data: {
      subscription_id: fields.stripeSubscriptionId,
      ...side(after, name(fields.planId)),
      current_period_start: fields.currentPeriodStart.toISOString(),
      current_period_end: fields.currentPeriodEnd.toISOString(),
      previous: before ? side(before, name(existing?.planId)) : null,
    },
    // One event per change an owner cares about: the change's audit row.
    dedupeKey: `subscription_updated:${audit.id}`,
  });
}

const minDate = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);
