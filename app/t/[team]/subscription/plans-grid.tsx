import type { ReactNode } from "react";
import { formatCents, formatCredits } from "@/components/format";
import { day } from "./format";
import type { SubscriptionView } from "./view";

export type Cycle = "monthly" | "annual";
type Plan = SubscriptionView["plans"][number];

type Props = {
  view: SubscriptionView;
  cycle: Cycle;
  onCycle: (c: Cycle) => void;
  onChoose: (plan: Plan, cycle: Cycle) => void;
  onMoveToFree: () => void;
  disabled: boolean;
};

/** Only paid plans have an annual price; every other plan is billed (or not) by the month. */
const cycleFor = (plan: Plan, cycle: Cycle): Cycle => (plan.kind === "paid" && plan.annualPriceCents > 0n ? cycle : "monthly");

/** Every plan side by side, priced for the chosen cycle, the current one marked, each with the way to move to it. */
export function PlansGrid({ view, cycle, onCycle, onChoose, onMoveToFree, disabled }: Props) {
  const saving = Math.max(0, ...view.plans.map((p) => (p.kind === "paid" ? p.annualSavingPct : 0)));
  const currentCycle: Cycle = view.billingCycle ?? "monthly";
  return (
    <section aria-labelledby="plans-title" className="mt-10">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h2 id="plans-title" className="text-lg font-semibold">
          Plans
        </h2>
        <fieldset className="flex rounded-lg border border-slate-300 bg-white p-1 dark:border-slate-700 dark:bg-slate-900">
          <legend className="sr-only">Billing cycle</legend>
          {(["monthly", "annual"] as const).map((c) => (
            <label
              key={c}
              className="cursor-pointer rounded-md px-4 py-1.5 text-sm font-medium has-[:checked]:bg-indigo-600 has-[:checked]:text-white has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500"
            >
              <input type="radio" name="cycle" value={c} checked={cycle === c} onChange={() => onCycle(c)} className="sr-only" />
              {c === "monthly" ? "Monthly" : "Annual"}
              {c === "annual" && saving > 0 && <span className="text-xs font-normal"> (save {saving}%)</span>}
            </label>
          ))}
        </fieldset>
      </div>
      <ul className="mt-4 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {view.plans.map((plan) => {
          const current = plan.id === view.plan.id && (plan.kind !== "paid" || cycleFor(plan, cycle) === currentCycle || view.status === null);
          const onThisPlan = plan.id === view.plan.id;
          return (
            <li
              key={plan.id}
              data-testid={`plan-${plan.id}`}
              aria-current={onThisPlan ? "true" : undefined}
              className={`flex flex-col rounded-lg border bg-white p-5 dark:bg-slate-900 ${onThisPlan ? "border-indigo-600 ring-1 ring-indigo-600" : "border-slate-200 dark:border-slate-800"}`}
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-base font-semibold">{plan.name}</h3>
                {onThisPlan && (
                  <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200">
                    Current plan{plan.kind === "paid" && view.billingCycle ? ` (${view.billingCycle})` : ""}
                  </span>
                )}
              </div>
              <Price plan={plan} cycle={cycle} />
              <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">{creditsText(plan)}</p>
              <ul className="mt-3 flex-1 list-disc space-y-1 pl-5 text-sm text-slate-600 dark:text-slate-400">
                {plan.features.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
              <div className="mt-4">{action({ view, plan, cycle: cycleFor(plan, cycle), current, disabled, onChoose, onMoveToFree })}</div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Price({ plan, cycle }: { plan: Plan; cycle: Cycle }) {
  if (plan.kind === "enterprise") return <p className="mt-3 text-2xl font-semibold">Custom</p>;
  if (plan.kind === "paid" && cycle === "annual" && plan.annualPriceCents > 0n) {
    return (
      <div className="mt-3">
        <p className="text-2xl font-semibold tabular-nums" data-testid={`price-${plan.id}`}>
          {formatCents(plan.annualPerMonthCents)}
          <span className="text-sm font-normal text-slate-600 dark:text-slate-400"> / month</span>
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          billed {formatCents(plan.annualPriceCents)} a year{" "}
          {plan.annualSavingPct > 0 && (
            <span className="ml-1 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
              Save {plan.annualSavingPct}%
            </span>
          )}
        </p>
      </div>
    );
  }
  return (
    <div className="mt-3">
      <p className="text-2xl font-semibold tabular-nums" data-testid={`price-${plan.id}`}>
        {formatCents(plan.monthlyPriceCents)}
        <span className="text-sm font-normal text-slate-600 dark:text-slate-400"> / month</span>
      </p>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {plan.kind === "free" ? "No card needed" : plan.kind === "payg" ? "Billed monthly for what you use" : "Billed monthly"}
      </p>
    </div>
  );
}

function creditsText(plan: Plan): string {
  if (plan.monthlyCredits !== null) return `${formatCredits(plan.monthlyCredits)} credits a month`;
  return plan.kind === "enterprise" ? "Credits set by your contract" : "No included credits: pay for what you use";
}

function action(a: {
  view: SubscriptionView;
  plan: Plan;
  cycle: Cycle;
  current: boolean;
  disabled: boolean;
  onChoose: Props["onChoose"];
  onMoveToFree: () => void;
}): ReactNode {
  const { view, plan, cycle } = a;
  const primary = "w-full rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60";
  const secondary =
    "w-full rounded-md border border-slate-300 px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800";
  if (plan.kind === "enterprise") {
    return (
      <a href="#enterprise-request" className={`block text-center ${secondary}`}>
        Contact us
      </a>
    );
  }
  if (plan.kind === "free") {
    if (view.plan.id === "free" || view.status === null) return <p className="text-sm text-slate-600 dark:text-slate-400">Every team starts here.</p>;
    if (view.status === "cancelled")
      return <p className="text-sm text-slate-600 dark:text-slate-400">The team moves to Free on {view.periodEnd ? day(view.periodEnd) : "the period end"}.</p>;
    if (!view.canManage) return null;
    return (
      <button type="button" onClick={a.onMoveToFree} disabled={a.disabled} className={secondary}>
        Move to Free
      </button>
    );
  }
  if (a.current && view.status !== "cancelled") return <p className="text-sm font-medium text-indigo-800 dark:text-indigo-300">You are on this plan.</p>;
  if (!view.canManage) return null;
  const label =
    plan.id === view.plan.id && view.status === "cancelled" && cycle === view.billingCycle
      ? `Reactivate ${plan.name}`
      : plan.id === view.plan.id && view.status !== null
        ? `Switch to ${cycle}`
        : `Choose ${plan.name}`;
  return (
    <button type="button" onClick={() => a.onChoose(plan, cycle)} disabled={a.disabled} className={primary}>
      {label}
    </button>
  );
}
