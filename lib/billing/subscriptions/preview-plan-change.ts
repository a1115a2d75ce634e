import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { BillingCycle } from "../../db/generated/enums";
import type { CustomerGateway } from "../cards/card-port";
import { ensureStripeCustomer } from "../cards/ensure-stripe-customer";
import { formatCents, formatCredits } from "../money";
import { type ChangeKind, decidePlanChange } from "./decide-plan-change";
import { livePlanCredits } from "./grant-plan-credits";
import { choosePlan, type PlanChoice, priceSpec } from "./plan-offers";
import type { SubscriptionChangeGateway } from "./subscription-port";

export type PlanChangePreview = {
  kind: ChangeKind;
  effective: "now" | "period_end";
  amountDueNowCents: bigint;
  nextRenewal: { amountCents: bigint; date: Date } | null;
  lines: { description: string; amountCents: bigint }[];
  creditsGrantedNow: bigint;
  /** Send back with the subscribe request (unix seconds) so the charge is exactly this preview. */
  prorationDate: number | null;
  explanation: string;
};

const usd = (cents: bigint) => formatCents(cents, "usd");
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What choosing a plan will do and cost, from Stripe's own invoice preview (invoices.createPreview with the same
 * proration date the confirmation will use). Reads only; billing:write because it prepares a change.
 */
export async function previewPlanChange({
  db,
  gateway,
  actor,
  team,
  planId,
  cycle,
  now = new Date(),
}: {
  db: Db;
  gateway: CustomerGateway & SubscriptionChangeGateway;
  actor: Actor;
  team: { id: string; name: string; stripeCustomerId: string | null };
  planId: string;
  cycle: BillingCycle;
  now?: Date;
}): Promise<PlanChangePreview> {
  requirePermission(actor, "billing:write");
  const choice = await choosePlan({ db, teamId: team.id, planId, cycle });
  const d = await decidePlanChange({ db, teamId: team.id, choice });
  const name = `${choice.plan.name} (${cycle === "ANNUAL" ? "annual" : "monthly"})`;
  const renewal = (date: Date) => (choice.priceCents > 0n || choice.kind === "payg" ? { amountCents: choice.priceCents, date } : null);
  const none = { amountDueNowCents: 0n, lines: [], creditsGrantedNow: 0n, prorationDate: null };

  if (d.kind === "unchanged") {
    const date = d.current && !d.current.cancelAtPeriodEnd ? d.current.currentPeriodEnd : null;
    return { ...none, kind: d.kind, effective: "now", nextRenewal: date ? renewal(date) : null, explanation: `You are already on ${name}; nothing changes.` };
  }
  if (d.kind === "reactivate") {
    const end = d.current!.currentPeriodEnd;
    return {
      ...none,
      kind: d.kind,
      effective: "now",
      nextRenewal: renewal(end),
      explanation: `Your ${name} subscription continues: nothing is charged now and it renews on ${dateOf(end)}.`,
    };
  }
  if (d.cancelAtPeriodEnd) {
    const end = d.current!.currentPeriodEnd;
    return {
      ...none,
      kind: d.kind,
      effective: "period_end",
      nextRenewal: null,
      explanation: `Your ${d.current!.plan.name} plan stays until ${dateOf(end)}, then the team is on Free; nothing more is charged.`,
    };
  }

  const customerId = await ensureStripeCustomer({ db, gateway, team, email: null });
  const priceId = await gateway.ensurePlanPrice(priceSpec(choice));
  const prorationDate = d.prorationBehavior === "always_invoice" && d.current ? Math.floor(now.getTime() / 1000) : null;
  const preview = await gateway.previewSubscriptionChange({
    customerId,
    subscriptionId: d.current?.stripeSubscriptionId ?? null,
    priceId,
    change: { prorationBehavior: d.prorationBehavior, resetCycle: d.resetCycle, prorationDate },
  });
  const lines = preview.lines.map((l) => ({ description: l.description, amountCents: l.amountCents }));
  const credits = choice.plan.monthlyCredits ?? 0n;

  if (d.kind === "downgrade") {
    // proration none: nothing now; the preview is the next renewal on the new plan.
    const end = d.current!.currentPeriodEnd;
    return {
      kind: d.kind,
      effective: "now",
      amountDueNowCents: 0n,
      nextRenewal: { amountCents: preview.amountDueCents, date: end },
      lines,
      creditsGrantedNow: 0n,
      prorationDate: null,
      explanation:
        `You move to ${name} now with no charge and no refund; you keep this cycle's plan credits, ` +
        `and on ${dateOf(end)} you are billed ${usd(preview.amountDueCents)} for ${choice.plan.name}.`,
    };
  }
  const due = preview.amountDueCents;
  const nextDate = d.kind === "upgrade" ? d.current!.currentPeriodEnd : (preview.periodEnd ?? null);
  // What the grant will really add (grant-plan-credits): up to one month of the new plan, less the plan credits of
  // this subscription still running (so the figure is right after a downgrade and back within one cycle too).
  const running =
    d.current?.stripeSubscriptionId && (d.kind === "upgrade" || d.kind === "cycle_change")
      ? await livePlanCredits({ db, teamId: team.id, subscriptionId: d.current.stripeSubscriptionId, now })
      : 0n;
  const granted = positive(credits - running);
  return {
    kind: d.kind,
    effective: "now",
    amountDueNowCents: due,
    nextRenewal: nextDate ? renewal(nextDate) : null,
    lines,
    creditsGrantedNow: granted,
    prorationDate,
    explanation: explain(d.kind, choice, due, granted, nextDate),
  };
}

const positive = (v: bigint) => (v > 0n ? v : 0n);

function explain(kind: ChangeKind, choice: PlanChoice, due: bigint, credits: bigint, next: Date | null): string {
  const plan = choice.plan.name;
  const grant = credits > 0n ? ` and ${formatCredits(credits)} plan credits are added` : "";
  const renews = next ? `; it renews on ${dateOf(next)} at ${usd(choice.priceCents)}` : "";
  if (kind === "upgrade") return `You move to ${plan} now: ${usd(due)} is charged to your card for the rest of this cycle${grant}${renews}.`;
  if (kind === "cycle_change") {
    return `A new ${choice.cycle === "ANNUAL" ? "annual" : "monthly"} ${plan} cycle starts now: ${usd(due)} is charged to your card after credit for unused time${grant}${renews}.`;
  }
  return `You subscribe to ${plan} now for ${usd(due)}${grant}${renews}.`;
}
