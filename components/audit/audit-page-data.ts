import "server-only";
import type { AuditViewer } from "@/lib/billing/audit/audit-viewer";
import { listAuditActors } from "@/lib/billing/audit/list-audit-actors";
import { type AuditQuery, auditQuery, listAuditLog } from "@/lib/billing/audit/list-audit-log";
import { BillingError } from "@/lib/billing/errors";

type Search = Record<string, string | string[] | undefined>;
type Db = Parameters<typeof listAuditLog>[0]["db"];

const LABELS: Record<keyof AuditQuery, string> = { group: "kind of change", actor: "who", from: "from", to: "to", cursor: "page" };

/** The filters in the URL, each checked on its own: one typed wrong is left out (and named), the others still apply. */
export function parseAuditSearch(search: Search): { query: AuditQuery; problems: string[] } {
  const query: AuditQuery = {};
  const problems: string[] = [];
  for (const key of Object.keys(LABELS) as (keyof AuditQuery)[]) {
    const raw = search[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === "") continue;
    const r = auditQuery.shape[key].safeParse(value);
    if (r.success && r.data !== undefined) query[key] = r.data;
    else if (!r.success) problems.push(`${LABELS[key]} ${r.error.issues[0]?.message ?? "is not valid"}`);
  }
  if (query.from && query.to && query.from > query.to) {
    problems.push("from is after to");
    delete query.to;
  }
  return { query, problems };
}

/** What an audit log page shows: one page of rows for the URL's filters, and the choices of the actor filter. */
export async function auditPageData({ db, viewer, teamId, search }: { db: Db; viewer: AuditViewer; teamId: string; search: Search }) {
  const { query, problems } = parseAuditSearch(search);
  const actors = await listAuditActors({ db, viewer, teamId });
  try {
    return { ...(await listAuditLog({ db, viewer, teamId, query })), query, problems, actors };
  } catch (e) {
    // A cursor that does not decode (edited by hand) starts again from the newest.
    if (!(e instanceof BillingError) || e.details?.field !== "cursor") throw e;
    const { cursor: _cursor, ...rest } = query;
    return { ...(await listAuditLog({ db, viewer, teamId, query: rest })), query: rest, problems: [...problems, "page is not a page of this log"], actors };
  }
}
