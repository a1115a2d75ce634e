import { formatCents, formatCredits } from "@/components/format";
import { cardLabel, cycleText, day, statusText } from "./format";
import type { SubscriptionView } from "./view";

const badge: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  trial: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  cancelled: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  past_due: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  unpaid: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

type Actions = {
  busy: null | "portal" | "cancel";
  onManageBilling: () => void;
  onCancel: () => void;
  onReactivate: () => void;
};

/** The plan the team is on: status in the seed's words, renewal, card, next invoice, plan credits left, and its controls. */
export function CurrentPlan({ view, actions }: { view: SubscriptionView; actions: Actions }) {
  const { planCredits } = view;
  const monthly = view.plan.monthlyCredits;
  const canCancel = view.canManage && (view.status === "active" || view.status === "trial" || view.status === "past_due" || view.status === "unpaid");
  return (
    <section aria-labelledby="current-plan-title" className="mt-6 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="current-plan-title" className="text-lg font-semibold">
          Current plan: <span data-testid="current-plan">{view.plan.name}</span>
        </h2>
        <span
          data-testid="subscription-status"
          data-status={view.status ?? "none"}
          className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${badge[view.status ?? ""] ?? "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"}`}
        >
          {statusText(view)}
        </span>
      </div>
      <dl className="mt-4 grid gap-x-8 gap-y-3 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-600 dark:text-slate-400">Billing cycle</dt>
          <dd data-testid="billing-cycle" className="font-medium">
            {cycleText(view.billingCycle)}
          </dd>
        </div>
        <div>
          <dt className="text-slate-600 dark:text-slate-400">{view.status === "cancelled" ? "Service ends" : "Current period ends"}</dt>
          <dd data-testid="period-end" className="font-medium">
            {view.periodEnd ? day(view.periodEnd) : day(view.cycleEnd)}
          </dd>
        </div>
        {view.canManage && (
          <>
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Payment method</dt>
              <dd data-testid="payment-method" className="font-medium">
                {view.paymentMethod ? (
                  <>
                    {cardLabel(view.paymentMethod)}{" "}
                    <span className="font-normal text-slate-600 dark:text-slate-400">
                      expires {String(view.paymentMethod.expMonth).padStart(2, "0")}/{view.paymentMethod.expYear}
                    </span>
                  </>
                ) : (
                  "No card on file"
                )}
              </dd>
            </div>
            <div>
              <dt className="text-slate-600 dark:text-slate-400">Next invoice</dt>
              <dd data-testid="next-invoice" className="font-medium tabular-nums">
                {view.nextInvoice ? `${formatCents(view.nextInvoice.amountCents)} on ${day(view.nextInvoice.date)}` : "None scheduled"}
              </dd>
            </div>
          </>
        )}
      </dl>

      <div className="mt-5">
        <p className="text-sm text-slate-600 dark:text-slate-400">Plan credits this cycle</p>
        {monthly === null && planCredits.granted === 0n ? (
          <p data-testid="plan-credits" className="font-medium">
            {view.plan.id === "payg" ? "No included credits: usage is billed at the end of the cycle." : "Set by your contract."}
          </p>
        ) : (
          <>
            <p data-testid="plan-credits" className="font-medium tabular-nums">
              {formatCredits(planCredits.remaining)} of {formatCredits(planCredits.granted > 0n ? planCredits.granted : (monthly ?? 0n))} left
            </p>
            <meter
              aria-label="Plan credits left this cycle"
              min={0}
              max={Number(planCredits.granted > 0n ? planCredits.granted : (monthly ?? 1n)) || 1}
              value={Number(planCredits.remaining)}
              className="mt-1 h-3 w-full max-w-md"
            />
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {monthly !== null ? `${formatCredits(monthly)} credits a month. ` : ""}Unused plan credits expire on {day(view.cycleEnd)}.
            </p>
          </>
        )}
      </div>

      {view.canManage && (
        <div className="mt-5 flex flex-wrap gap-3">
          {view.portalEnabled && (
            <button
              type="button"
              onClick={actions.onManageBilling}
              disabled={actions.busy !== null}
              className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800"
            >
              {actions.busy === "portal" ? "Opening billing…" : "Manage billing"}
            </button>
          )}
          {view.status === "cancelled" ? (
            <button
              type="button"
              onClick={actions.onReactivate}
              disabled={actions.busy !== null}
              className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
            >
              Reactivate
            </button>
          ) : (
            canCancel && (
              <button
                type="button"
                onClick={actions.onCancel}
                disabled={actions.busy !== null}
                className="rounded-md border border-red-300 px-4 py-2 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
              >
                Cancel subscription
              </button>
            )
          )}
        </div>
      )}
    </section>
  );
}
