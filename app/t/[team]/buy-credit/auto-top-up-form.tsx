"use client";

import { useId, useState } from "react";
import { useRouteMutation } from "@/components/data/route-hooks";
import { centsToDollarText, formatCredits } from "@/components/format";
import { dollarsToCents } from "@/components/money-input";
import type { setAutoTopUpRoute as setAutoTopUpRouteContract } from "@/app/api/teams/[team]/auto-top-up/contract";
import { endpoint } from "@/lib/edge/endpoint";

const setAutoTopUpRoute = endpoint<typeof setAutoTopUpRouteContract>("PUT /api/teams/:team/auto-top-up");

type Settings = { enabled: boolean; threshold: string; amount: string; maxPerMonth: number; chargesThisMonth: number; disabledReason: string | null };

const FIELD_LABEL: Record<string, string> = { threshold: "threshold", amount: "amount", maxPerMonth: "monthly limit", enabled: "auto top-up" };

type Props = { teamSlug: string; canEdit: boolean; hasCard: boolean; initial: Settings; creditsPerDollar: bigint };

/** Auto top-up settings: opt-in, threshold in credits, amount in dollars, at most N charges a month. */
export function AutoTopUpForm({ teamSlug, canEdit, hasCard, initial, creditsPerDollar }: Props) {
  const ids = { enabled: useId(), threshold: useId(), amount: useId(), max: useId(), help: useId() };
  const [enabled, setEnabled] = useState(initial.enabled);
  const [threshold, setThreshold] = useState(initial.threshold);
  const [amount, setAmount] = useState(initial.amount);
  const [maxPerMonth, setMaxPerMonth] = useState(String(initial.maxPerMonth));
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string; field?: string } | null>(null);
  const saveSettings = useRouteMutation(
    setAutoTopUpRoute,
    { params: { team: teamSlug } },
    {
      onSuccess: (_view, body) => setMessage({ kind: "ok", text: body.enabled ? "Auto top-up is on." : "Auto top-up is off." }),
      onError: (e) => setMessage({ kind: "error", text: e.record.message, field: e.record.field }),
    },
  );
  const saving = saveSettings.isPending;

  const amountCents = dollarsToCents(amount);
  const credits = amountCents === null ? null : (amountCents * creditsPerDollar) / 100n;

  function save() {
    setMessage(null);
    const dollars = amountCents === null ? amount.trim() : centsToDollarText(amountCents);
    saveSettings.mutate({ enabled, threshold: threshold.trim(), amount: dollars, maxPerMonth: Number(maxPerMonth) });
  }

  const invalid = (f: string) => message?.kind === "error" && message.field === f;
  const input =
    "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 tabular-nums dark:border-slate-700 dark:bg-slate-900 aria-[invalid=true]:border-red-600";
  return (
    <section
      id="auto-top-up"
      aria-labelledby="auto-title"
      className="mt-10 rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="auto-title" className="text-lg font-semibold">
        Auto top-up
      </h2>
      <p id={ids.help} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
        When the balance falls below the threshold, charge the saved card for the amount, at most the set number of times a month. A failed charge turns it off
        and tells the team&apos;s owners.
      </p>
      {initial.disabledReason && !initial.enabled && (
        <p role="alert" data-testid="auto-disabled" className="mt-3 rounded-md bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          Auto top-up was turned off: {initial.disabledReason}
        </p>
      )}
      <form
        className="mt-4 space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <fieldset disabled={!canEdit || saving} className="space-y-4">
          <label htmlFor={ids.enabled} className="flex items-center gap-2 font-medium">
            <input id={ids.enabled} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} className="h-4 w-4" />
            Top up automatically
          </label>
          {!hasCard && enabled && <p className="text-sm text-amber-800 dark:text-amber-300">Add a card above first: auto top-up charges the saved card.</p>}
          <div className="grid gap-4 sm:grid-cols-3">
            <div>
              <label htmlFor={ids.threshold} className="block text-sm font-medium">
                When the balance falls below (credits)
              </label>
              <input
                id={ids.threshold}
                inputMode="numeric"
                value={threshold}
                onChange={(e) => setThreshold(e.target.value)}
                aria-invalid={invalid("threshold")}
                className={input}
              />
            </div>
            <div>
              <label htmlFor={ids.amount} className="block text-sm font-medium">
                Charge (USD)
              </label>
              <input
                id={ids.amount}
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
                aria-invalid={invalid("amount")}
                className={input}
              />
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                {credits === null ? "Dollars, up to two decimals." : `Adds ${formatCredits(credits)} credits.`}
              </p>
            </div>
            <div>
              <label htmlFor={ids.max} className="block text-sm font-medium">
                At most, times a month
              </label>
              <input
                id={ids.max}
                type="number"
                min={1}
                max={31}
                value={maxPerMonth}
                onChange={(e) => setMaxPerMonth(e.target.value)}
                aria-invalid={invalid("maxPerMonth")}
                className={input}
              />
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">{initial.chargesThisMonth} used this month.</p>
            </div>
          </div>
          <button type="submit" className="rounded-md bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60">
            {saving ? "Saving…" : "Save auto top-up"}
          </button>
        </fieldset>
      </form>
      <p
        role={message?.kind === "error" ? "alert" : "status"}
        data-testid="auto-status"
        className={`mt-2 min-h-5 text-sm ${message?.kind === "error" ? "text-red-700 dark:text-red-400" : "text-emerald-800 dark:text-emerald-300"}`}
      >
        {message ? `${message.text}${message.kind === "error" && message.field ? ` (${FIELD_LABEL[message.field] ?? message.field})` : ""}` : ""}
      </p>
    </section>
  );
}
