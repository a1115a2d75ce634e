import Link from "next/link";
import { formatDateTime } from "@/components/format";
import { AUDIT_GROUPS } from "@/lib/billing/audit/audit-actions";
import type { AuditActorOption } from "@/lib/billing/audit/list-audit-actors";
import type { AuditActor, AuditQuery, AuditRow } from "@/lib/billing/audit/list-audit-log";
import { describeAudit } from "./describe-audit";

// The audit log as the team's owners and admins and the platform admins see it (the same view on both pages). Server
// rendered with no JavaScript of its own: the filter is a GET form and the pages are links, so each is a URL.

const field = "mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";

function actorText(a: AuditActor): { name: string; detail: string | null; filter: string } {
  switch (a.kind) {
    case "user":
      return {
        name: a.name ?? a.email ?? "A deleted user",
        detail: [a.name ? a.email : null, a.platformAdmin ? "Creditdesk admin" : null].filter(Boolean).join(" · ") || null,
        filter: `user:${a.id}`,
      };
    case "apiKey":
      return { name: `API key “${a.name}”`, detail: a.prefix ? `${a.prefix}…` : null, filter: `key:${a.id}` };
    case "stripe":
      return { name: "Stripe", detail: null, filter: "system" };
    case "system":
      return { name: "System", detail: null, filter: "system" };
  }
}

/** The page's URL with these filters (empty ones left out). */
function href(basePath: string, q: AuditQuery): string {
  const s = new URLSearchParams(Object.entries(q).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== "")).toString();
  return s ? `${basePath}?${s}` : basePath;
}

export function AuditLogView({
  rows,
  nextCursor,
  query,
  problems,
  basePath,
  actors,
}: {
  rows: AuditRow[];
  nextCursor: string | null;
  /** The filters in force (the page parsed them), without the cursor's own page unless one is open. */
  query: AuditQuery;
  /** Filters refused as they were typed in the URL (they are left out). */
  problems: string[];
  basePath: string;
  actors: AuditActorOption[];
}) {
  const filters: AuditQuery = { group: query.group, actor: query.actor, from: query.from, to: query.to };
  const filtered = Object.values(filters).some(Boolean);
  return (
    <div className="mt-6 space-y-6">
      <form
        method="get"
        action={basePath}
        aria-label="Filter the audit log"
        className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_10rem_auto] lg:items-end dark:border-slate-800 dark:bg-slate-900"
      >
        <div>
          <label htmlFor="audit-group" className="block text-sm font-medium">
            Kind of change
          </label>
          <select id="audit-group" name="group" defaultValue={query.group ?? ""} className={field}>
            <option value="">All changes</option>
            {AUDIT_GROUPS.map((g) => (
              <option key={g.id} value={g.id}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-actor" className="block text-sm font-medium">
            Who
          </label>
          <select id="audit-actor" name="actor" defaultValue={query.actor ?? ""} className={field}>
            <option value="">Anyone</option>
            {query.actor && !actors.some((a) => a.value === query.actor) && <option value={query.actor}>The one chosen from the log</option>}
            {actors.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-from" className="block text-sm font-medium">
            From (UTC)
          </label>
          <input id="audit-from" name="from" type="date" defaultValue={query.from ?? ""} className={field} />
        </div>
        <div>
          <label htmlFor="audit-to" className="block text-sm font-medium">
            To (UTC)
          </label>
          <input id="audit-to" name="to" type="date" defaultValue={query.to ?? ""} className={field} />
        </div>
        <div className="flex gap-3 sm:col-span-2 lg:col-span-1">
          <button className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">Filter</button>
          {filtered && (
            <Link href={basePath} className="self-center text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
              Clear
            </Link>
          )}
        </div>
      </form>

      {problems.length > 0 && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-900 dark:bg-red-950 dark:text-red-100">
          Some filters were left out: {problems.join("; ")}.
        </p>
      )}

      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400" data-testid="audit-empty">
          {query.cursor ? "No older changes." : filtered ? "No changes match these filters." : "No changes recorded yet."}
        </p>
      ) : (
        <ol
          aria-label="Changes, newest first"
          className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900"
        >
          {rows.map((r) => {
            const who = actorText(r.actor);
            const d = describeAudit(r.action, r.data);
            return (
              <li key={r.id} className="grid gap-1 p-4 sm:grid-cols-[11rem_14rem_1fr] sm:gap-4" data-testid="audit-row" data-action={r.action}>
                <time dateTime={r.createdAt.toISOString()} className="text-sm text-slate-600 dark:text-slate-400">
                  {formatDateTime(r.createdAt)}
                </time>
                <div className="text-sm">
                  <Link
                    href={href(basePath, { ...filters, actor: who.filter })}
                    className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                    title={`Only changes by ${who.name}`}
                  >
                    {who.name}
                  </Link>
                  {who.detail && <span className="block break-all text-slate-600 dark:text-slate-400">{who.detail}</span>}
                </div>
                <div className="min-w-0">
                  <p>{d.what}</p>
                  {d.changes.length > 0 && (
                    <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3 text-sm">
                      {d.changes.map((c) => (
                        <div key={c.label} className="contents">
                          <dt className="text-slate-600 dark:text-slate-400">{c.label}</dt>
                          <dd className="break-words">
                            <span className="sr-only">from </span>
                            {c.before} <span aria-hidden="true">→</span>
                            <span className="sr-only"> to</span> {c.after}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}

      <nav aria-label="Audit log pages" className="flex gap-4 text-sm">
        {query.cursor && (
          <Link href={href(basePath, filters)} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            ← Newest
          </Link>
        )}
        {nextCursor && (
          <Link href={href(basePath, { ...filters, cursor: nextCursor })} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
