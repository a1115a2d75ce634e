"use client";

import { useId, useState } from "react";
import type {
  removeTeamBudgetRoute as removeTeamBudgetRouteContract,
  saveTeamBudgetRoute as saveTeamBudgetRouteContract,
  teamBudgetRoute as teamBudgetRouteContract,
} from "@/app/api/teams/[team]/budget/contract";
import { useRouteMutation, useRouteQuery } from "@/components/data/route-hooks";
import type { OutputOf } from "@/lib/edge/contract";
import { endpoint } from "@/lib/edge/endpoint";

const removeTeamBudgetRoute = endpoint<typeof removeTeamBudgetRouteContract>("DELETE /api/teams/:team/budget");
const saveTeamBudgetRoute = endpoint<typeof saveTeamBudgetRouteContract>("PUT /api/teams/:team/budget");
const teamBudgetRoute = endpoint<typeof teamBudgetRouteContract>("GET /api/teams/:team/budget");

type Budget = OutputOf<typeof teamBudgetRouteContract>;

const THRESHOLDS = [50, 80, 100] as const;
const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 aria-[invalid=true]:border-red-600 dark:border-slate-700 dark:bg-slate-900";
const usd = (n: number) => n.toLocaleString("en-US", { style: "currency", currency: "USD" });

/** The budget's figures (what GET /api/v1/billing/budget answers) and, for billing roles, the form that sets or removes it. */
export function BudgetClient({ team, canEdit, role }: { team: string; canEdit: boolean; role: string }) {
  const { data } = useRouteQuery(teamBudgetRoute, { params: { team } });
  const [notice, setNotice] = useState("");
  if (!data) return <p className="mt-6 h-40 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-label="Loading the budget" />;
  const settingsKey = `${data.monthly_cap_usd}|${data.hard_cap}|${data.allow_soft_overage}|${data.alert_email}`;
  return (
    <div className="mt-6 space-y-8">
      <Status budget={data} />
      {canEdit ? (
        <>
          {/* A new key after a save or removal shows the saved settings; a refusal keeps what was typed. */}
          <BudgetForm key={settingsKey} team={team} budget={data} onSaved={() => setNotice("Budget saved.")} onEdit={() => setNotice("")} />
          <p role="status" className="min-h-5 text-sm font-medium">
            {notice}
          </p>
          {data.monthly_cap_usd !== null && <RemoveBudget team={team} onRemoved={() => setNotice("Budget removed.")} />}
        </>
      ) : (
        <p role="status" className="rounded-md bg-slate-100 p-4 dark:bg-slate-800">
          Read only: your role ({role}) can see the budget but not change it.
        </p>
      )}
    </div>
  );
}

function Status({ budget: b }: { budget: Budget }) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        This month ({b.month})
      </h2>
      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="text-slate-600 dark:text-slate-400">Spent</dt>
        <dd data-testid="budget-spend">{usd(b.current_spend_usd)}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Cap</dt>
        <dd data-testid="budget-cap">
          {b.monthly_cap_usd === null
            ? "No budget: spending is not capped and no alerts are sent."
            : `${usd(b.monthly_cap_usd)} a month, ${b.hard_cap ? "hard cap (usage past it is refused)" : b.allow_soft_overage ? "soft cap (alerts only)" : "soft cap, no overage (usage past it is refused)"}`}
        </dd>
        {b.monthly_cap_usd !== null && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">Alert email</dt>
            <dd>{b.alert_email ?? "None (alerts appear in the dashboard only)"}</dd>
            <dt className="text-slate-600 dark:text-slate-400">Alerts</dt>
            <dd>
              <ul className="flex flex-wrap gap-2" aria-label="Alert thresholds">
                {THRESHOLDS.map((t) => {
                  const sent = b.alerts_sent.includes(`${t}%`);
                  return (
                    <li
                      key={t}
                      className={`rounded-full px-2 py-0.5 ${sent ? "bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-50" : "bg-slate-100 dark:bg-slate-800"}`}
                    >
                      {t}%: {sent ? "sent" : "not yet"}
                    </li>
                  );
                })}
              </ul>
              <p className="mt-1 text-slate-600 dark:text-slate-400">
                {b.next_alert_threshold_pct === null ? "Every alert has been sent this month." : `Next alert at ${b.next_alert_threshold_pct}%.`}
              </p>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function BudgetForm({ team, budget: b, onSaved, onEdit }: { team: string; budget: Budget; onSaved: () => void; onEdit: () => void }) {
  const id = useId();
  const [hard, setHard] = useState(b.hard_cap);
  const save = useRouteMutation(saveTeamBudgetRoute, { params: { team } }, { onSuccess: onSaved });
  const error = save.error?.record ?? null;
  const invalid = (field: string) => error?.field === field;
  return (
    <form
      aria-labelledby={`${id}-title`}
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onEdit();
        const form = new FormData(e.currentTarget);
        save.mutate({
          monthly_cap_usd: String(form.get("monthly_cap_usd") ?? ""),
          alert_email: String(form.get("alert_email") ?? ""),
          hard_cap: form.get("kind") === "hard",
          allow_soft_overage: form.get("kind") === "hard" ? true : form.get("allow_soft_overage") === "on",
        });
      }}
    >
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {b.monthly_cap_usd === null ? "Set a budget" : "Change the budget"}
      </h2>
      <div>
        <label htmlFor={`${id}-cap`} className="block text-sm font-medium">
          Monthly cap (US dollars)
        </label>
        <input
          id={`${id}-cap`}
          name="monthly_cap_usd"
          inputMode="decimal"
          autoComplete="off"
          placeholder="500.00"
          defaultValue={b.monthly_cap_usd === null ? "" : b.monthly_cap_usd.toFixed(2)}
          aria-invalid={invalid("monthly_cap_usd")}
          aria-describedby={`${id}-cap-help`}
          className={`${input} max-w-xs`}
        />
        <p id={`${id}-cap-help`} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          More than $0, at most two decimals.
        </p>
      </div>
      <fieldset>
        <legend className="text-sm font-medium">When spending reaches the cap</legend>
        <div className="mt-2 space-y-2 text-sm">
          <label className="flex items-start gap-2">
            <input type="radio" name="kind" value="hard" checked={hard} onChange={() => setHard(true)} className="mt-1" />
            <span>
              <span className="font-medium">Hard cap</span>: refuse usage past the cap (the API answers BUDGET_HARD_CAP_HIT).
            </span>
          </label>
          <label className="flex items-start gap-2">
            <input type="radio" name="kind" value="soft" checked={!hard} onChange={() => setHard(false)} className="mt-1" />
            <span>
              <span className="font-medium">Soft cap</span>: send the alerts and keep working.
            </span>
          </label>
        </div>
      </fieldset>
      <label className={`flex items-start gap-2 text-sm ${hard ? "text-slate-500 dark:text-slate-400" : ""}`}>
        <input
          type="checkbox"
          name="allow_soft_overage"
          defaultChecked={b.allow_soft_overage}
          disabled={hard}
          className="mt-1"
          aria-describedby={`${id}-overage-help`}
        />
        <span>
          Allow spending past a soft cap
          <span id={`${id}-overage-help`} className="block text-slate-600 dark:text-slate-400">
            {hard ? "Not used with a hard cap." : "Unticked, a soft cap also refuses usage once it is reached."}
          </span>
        </span>
      </label>
      <div>
        <label htmlFor={`${id}-email`} className="block text-sm font-medium">
          Alert email (optional)
        </label>
        <input
          id={`${id}-email`}
          name="alert_email"
          type="email"
          autoComplete="email"
          placeholder="ops@example.com"
          defaultValue={b.alert_email ?? ""}
          aria-invalid={invalid("alert_email")}
          className={`${input} max-w-md`}
        />
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Alerts at 50%, 80% and 100% of the cap, once each a month.</p>
      </div>
      <div>
        <button disabled={save.isPending} className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
          {save.isPending ? "Saving…" : "Save budget"}
        </button>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {error.message}
        </p>
      )}
    </form>
  );
}

function RemoveBudget({ team, onRemoved }: { team: string; onRemoved: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useRouteMutation(removeTeamBudgetRoute, { params: { team } }, { onSuccess: onRemoved });
  return (
    <div>
      {confirming ? (
        <div role="group" aria-label="Confirm removing the budget" className="space-y-2 rounded-lg border border-red-300 p-4 dark:border-red-800">
          <p>Remove the budget? Usage is no longer capped and no more alerts are sent. This month&apos;s spend is kept.</p>
          <div className="flex gap-2">
            <button
              type="button"
              disabled={remove.isPending}
              className="rounded-md bg-red-600 px-3 py-1.5 font-medium text-white hover:bg-red-500 disabled:opacity-60"
              onClick={() => remove.mutate({})}
            >
              {remove.isPending ? "Removing…" : "Remove budget"}
            </button>
            <button type="button" className="rounded-md border border-slate-300 px-3 py-1.5 dark:border-slate-700" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          className="rounded-md border border-red-300 px-3 py-1.5 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
          onClick={() => setConfirming(true)}
        >
          Remove budget…
        </button>
      )}
      {remove.error && (
        <p role="alert" className="mt-2 rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          {remove.error.message}
        </p>
      )}
    </div>
  );
}
