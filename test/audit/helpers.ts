import { expect } from "vitest";
import type { AuditViewer } from "../../lib/billing/audit/audit-viewer";
import { type AuditRow, listAuditLog } from "../../lib/billing/audit/list-audit-log";
import type { Db } from "../../lib/db/client";

const newestFirst = (rows: AuditRow[]) =>
  rows.every((r, i) => i === 0 || rows[i - 1]!.createdAt > r.createdAt || (+rows[i - 1]!.createdAt === +r.createdAt && rows[i - 1]!.id > r.id));

/** Every row of a team's log as `viewer` reads it, page by page (`limit` a page), checking each page is full but the last and the whole newest first. */
export async function readWholeLog(db: Db, viewer: AuditViewer, teamId: string, query: Record<string, string> = {}, limit = 7): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let cursor: string | undefined = query.cursor;
  for (let i = 0; i < 1000; i++) {
    const page = await listAuditLog({ db, viewer, teamId, query: { ...query, cursor }, limit });
    rows.push(...page.rows);
    if (!page.nextCursor) break;
    expect(page.rows).toHaveLength(limit);
    cursor = page.nextCursor;
  }
  expect(newestFirst(rows), "newest first").toBe(true);
  return rows;
}
