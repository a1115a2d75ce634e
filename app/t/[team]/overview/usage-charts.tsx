import { HorizontalBars, StackedBars } from "@/components/charts/bars";
import { formatCredits } from "@/components/format";
import type { overviewRoute } from "@/app/api/teams/[team]/overview/contract";
import type { OutputOf } from "@/lib/edge/contract";

type Usage = OutputOf<typeof overviewRoute>["usage"];
type Props = { days: Usage["days"]; operations: Usage["operations"] };

// Colour-blind-safe palette (Okabe–Ito); the table below each chart carries the same numbers as text.
const COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6B7280"];
const SHOWN = 6;

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const tickNumber = (v: number) => compact.format(v);
const shortDay = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** Credits per day by operation (stacked bars) and credits by operation, each with a text summary and a table. */
export function UsageCharts({ days, operations }: Props) {
  const top = operations.slice(0, SHOWN).map((o) => o.operation);
  const hasOther = operations.length > SHOWN;
  const series = [...top, ...(hasOther ? ["other"] : [])];
  // Bar heights are numbers (pixels need no exactness); exact figures stay in the tables as bigint text.
  const daily = days.map((d) => {
    let other = 0n;
    for (const [op, credits] of Object.entries(d.byOperation)) if (!top.includes(op)) other += credits;
    const values = top.map((op) => Number(Object.hasOwn(d.byOperation, op) ? d.byOperation[op]! : 0n));
    return { label: d.day, values: hasOther ? [...values, Number(other)] : values };
  });
  const busiest = days.reduce((best, d) => (d.credits > (best?.credits ?? -1n) ? d : best), days[0]);
  const total = days.reduce((s, d) => s + d.credits, 0n);
  const byOperation = operations.slice(0, 10).map((o) => ({ label: o.operation, value: Number(o.credits) }));
  const dailySummary = `Credits per day this cycle: ${formatCredits(total)} in ${days.length} days${busiest && busiest.credits > 0n ? `, most on ${shortDay(busiest.day)} (${formatCredits(busiest.credits)})` : ""}.`;
  const opSummary = `Credits by operation: ${operations
    .slice(0, 3)
    .map((o) => `${o.operation} ${formatCredits(o.credits)}`)
    .join(", ")}${operations.length > 3 ? ` and ${operations.length - 3} more` : ""}.`;

  return (
    <div className="mt-4 grid gap-4 lg:grid-cols-5">
      <figure className="rounded-lg border border-slate-200 bg-white p-4 text-slate-600 lg:col-span-3 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400">
        <figcaption className="font-medium text-slate-900 dark:text-slate-100">Credits per day</figcaption>
        <div role="img" aria-label={dailySummary} className="mt-2 h-64">
          <StackedBars
            rows={daily}
            series={series.map((name, i) => ({ name, color: COLORS[i % COLORS.length]! }))}
            tick={tickNumber}
            value={(v) => formatCredits(v)}
            label={shortDay}
          />
        </div>
        <details className="mt-2 text-sm">
          <summary className="cursor-pointer">Show as table</summary>
          <table className="mt-2 w-full text-left">
            <caption className="sr-only">Credits per day</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 font-medium">
                  Day (UTC)
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  Credits
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <td className="py-0.5">{d.day}</td>
                  <td className="py-0.5 text-right tabular-nums">{formatCredits(d.credits)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figure>
      <figure className="rounded-lg border border-slate-200 bg-white p-4 text-slate-600 lg:col-span-2 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-400">
        <figcaption className="font-medium text-slate-900 dark:text-slate-100">By operation</figcaption>
        <div role="img" aria-label={opSummary} className="mt-2 h-64">
          <HorizontalBars rows={byOperation} color={COLORS[0]!} tick={tickNumber} value={(v) => formatCredits(v)} />
        </div>
        <p className="mt-2 text-sm">The table below lists the same figures.</p>
      </figure>
    </div>
  );
}
