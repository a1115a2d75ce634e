"use client";

import { useId, useState } from "react";
import type { ledgerExportRoute as ledgerExportContract } from "@/app/api/teams/[team]/ledger/export/contract";
import { endpoint, routeUrl } from "@/lib/edge/endpoint";

const ledgerExportRoute = endpoint<typeof ledgerExportContract>("GET /api/teams/:team/ledger/export");

/** A date range for the CSV export; the browser downloads the streamed file straight from the route. */
export function ExportForm({ teamSlug, defaultFrom, defaultTo }: { teamSlug: string; defaultFrom: string; defaultTo: string }) {
  const ids = { from: useId(), to: useId(), error: useId() };
  const [from, setFrom] = useState(defaultFrom);
  const [to, setTo] = useState(defaultTo);
  const error = !from || !to ? "Choose both dates." : to < from ? "The end date must be on or after the start date." : null;
  return (
    <form
      method="GET"
      action={routeUrl(ledgerExportRoute, { team: teamSlug })}
      className="mt-3 flex flex-wrap items-end gap-4"
      onSubmit={(e) => error && e.preventDefault()}
    >
      <div>
        <label htmlFor={ids.from} className="block text-sm font-medium">
          From
        </label>
        <input
          id={ids.from}
          name="from"
          type="date"
          required
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          aria-describedby={ids.error}
          className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <div>
        <label htmlFor={ids.to} className="block text-sm font-medium">
          To (inclusive)
        </label>
        <input
          id={ids.to}
          name="to"
          type="date"
          required
          value={to}
          onChange={(e) => setTo(e.target.value)}
          aria-describedby={ids.error}
          className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <button
        type="submit"
        disabled={error !== null}
        className="rounded-md bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-60"
      >
        Download CSV
      </button>
      <p id={ids.error} role={error ? "alert" : undefined} className="w-full min-h-5 text-sm text-red-700 dark:text-red-400">
        {error}
      </p>
    </form>
  );
}
