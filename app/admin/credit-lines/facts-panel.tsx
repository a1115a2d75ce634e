import { formatCents, formatDateTime } from "@/components/format";

// The reviewer's facts (lib/billing/credit-lines/review-facts.ts, getReviewFacts) rendered whatever their exact shape:
// names become words, *Cents amounts become dollars, dates become dates. null: the facts could not be computed.

const words = (key: string) =>
  key
    .replace(/Cents$/, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/^./, (c) => c.toUpperCase());

function Value({ name, value }: { name: string; value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  if (typeof value === "bigint") return <span className="tabular-nums">{/Cents$/.test(name) ? formatCents(value) : value.toLocaleString("en-US")}</span>;
  if (value instanceof Date) return <>{formatDateTime(value)}</>;
  if (typeof value === "boolean") return <>{value ? "yes" : "no"}</>;
  if (typeof value === "number")
    return <span className="tabular-nums">{/Cents$/.test(name) ? formatCents(BigInt(Math.round(value))) : value.toLocaleString("en-US")}</span>;
  if (typeof value === "string") return <>{value}</>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>none</>;
    return (
      <ul className="space-y-1">
        {value.map((v, i) => (
          <li key={i}>
            <Value name={name} value={v} />
          </li>
        ))}
      </ul>
    );
  }
  if (typeof value === "object") return <Facts facts={value as Record<string, unknown>} nested />;
  return <>{String(value)}</>;
}

function Facts({ facts, nested = false }: { facts: Record<string, unknown>; nested?: boolean }) {
  return (
    <dl className={`grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 ${nested ? "text-xs" : "text-sm"}`}>
      {Object.entries(facts).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{words(k)}</dt>
          <dd>
            <Value name={k} value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function FactsPanel({ facts }: { facts: unknown | null }) {
  return (
    <section aria-label="Review facts" className="mt-3 rounded-md bg-slate-50 p-3 dark:bg-slate-800">
      <h4 className="text-sm font-semibold">Facts</h4>
      {facts === null || typeof facts !== "object" ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Facts unavailable</p>
      ) : (
        <div className="mt-2">
          <Facts facts={facts as Record<string, unknown>} />
        </div>
      )}
    </section>
  );
}
