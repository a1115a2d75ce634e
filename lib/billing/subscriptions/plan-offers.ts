import type { Tx } from "../../db/client";
import type { Plan } from "../../db/generated/client";
import type { BillingCycle } from "../../db/generated/enums";
import { BillingError } from "../errors";
import type { PlanPriceSpec } from "./subscription-port";

export type PlanKind = "free" | "payg" | "paid" | "enterprise";

export type PlanOffer = {
  id: string;
  name: string;
  kind: PlanKind;
  monthlyPriceCents: bigint;
  /** The yearly total (the seed's 17% off twelve months). */
  annualPriceCents: bigint;
  /** The annual total per month, rounded to the cent ($7.47, $40.67, $165.17). */
  annualPerMonthCents: bigint;
  annualSavingPct: number;
  monthlyCredits: bigint | null;
  features: string[];
};

/** The seed's annual discount: what the plans table's annual prices are (and what the API reports). */
export const ANNUAL_DISCOUNT_PCT = 17;

export function planKind(plan: Pick<Plan, "id" | "monthlyPriceCents" | "stripeMonthlyLookup">): PlanKind {
  if (plan.id === "free") return "free";
  if (plan.id === "payg") return "payg";
  // Enterprise and anything without a self-serve price is arranged with the platform (the request form).
  if (plan.id === "enterprise" || !plan.stripeMonthlyLookup) return "enterprise";
  return "paid";
}

const perMonth = (annual: bigint) => (annual * 2n + 12n) / 24n; // to the nearest cent, halves up

export function toPlanOffer(p: Plan): PlanOffer {
  const features = Array.isArray(p.features) ? p.features.filter((f): f is string => typeof f === "string") : [];
  return {
    id: p.id,
    name: p.name,
    kind: planKind(p),
    monthlyPriceCents: p.monthlyPriceCents,
    annualPriceCents: p.annualPriceCents,
    annualPerMonthCents: perMonth(p.annualPriceCents),
    annualSavingPct: ANNUAL_DISCOUNT_PCT,
    monthlyCredits: p.monthlyCredits,
    features,
  };
}

/** The seed's plans in order (Free, PAYG, Starter, Pro, Scale, Enterprise); custom plans are not offered to everyone. */
export async function listPlanOffers(db: Tx): Promise<PlanOffer[]> {
  const plans = await db.plan.findMany({ where: { active: true }, orderBy: { sortOrder: "asc" } });
  return plans.filter((p) => ["free", "payg", "starter", "pro", "scale", "enterprise"].includes(p.id)).map(toPlanOffer);
}

export type PlanChoice = { plan: Plan; kind: PlanKind; cycle: BillingCycle; lookupKey: string | null; priceCents: bigint };

/**
 * A plan and cycle someone asked for, or INVALID_PLAN: unknown or retired plans, Enterprise (custom: the request form
 * on the Subscription page), and a cycle the plan has no price for (PAYG is monthly only).
 */
export async function choosePlan({ db, planId, cycle }: { db: Tx; planId: string; cycle: BillingCycle }): Promise<PlanChoice> {
  const plan = /^[a-z0-9_-]{1,40}$/.test(planId) ? await db.plan.findUnique({ where: { id: planId } }) : null;
  if (!plan || !plan.active) throw new BillingError("INVALID_PLAN", `There is no plan "${planId.slice(0, 40)}". Choose free, payg, starter, pro or scale.`);
  const kind = planKind(plan);
  if (kind === "enterprise") {
    throw new BillingError(
      "INVALID_PLAN",
      "Enterprise is priced per contract: send the Enterprise request form on the Subscription page and we will set it up.",
    );
  }
  const lookupKey = kind === "free" ? null : cycle === "ANNUAL" ? plan.stripeAnnualLookup : plan.stripeMonthlyLookup;
  if (kind !== "free" && !lookupKey) throw new BillingError("INVALID_PLAN", `${plan.name} is billed monthly only.`);
  return { plan, kind, cycle, lookupKey, priceCents: cycle === "ANNUAL" ? plan.annualPriceCents : plan.monthlyPriceCents };
}

/** The Stripe price a choice subscribes to (found by lookup key, created once when missing). */
export function priceSpec(c: PlanChoice): PlanPriceSpec {
  return {
    lookupKey: c.lookupKey!,
    amountCents: c.priceCents,
    currency: "usd",
    interval: c.cycle === "ANNUAL" ? "year" : "month",
    planId: c.plan.id,
    productName: `${c.plan.name} plan (${c.cycle === "ANNUAL" ? "annual" : "monthly"})`,
  };
}
