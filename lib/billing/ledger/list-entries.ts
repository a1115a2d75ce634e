import type { Tx } from "../../db/client";
import type { LedgerEntry, Prisma } from "../../db/generated/client";
import type { LedgerKind } from "../../db/generated/enums";
import { BillingError } from "../errors";

const CURSOR = /^(\d{1,15})\.(\d{1,19})$/;

/**
 * A page of the team's history, newest first, in commit order: (created_at, seq) descending, over the
 * (team_id, created_at) index (created_at is taken after the team lock, seq breaks ties inside a debit batch).
 * `cursor` is the nextCursor of the previous page.
 */
export async function listEntries({
  db,
  teamId,
  kinds,
  from,
  to,
  cursor,
  limit = 50,
}: {
  db: Tx;
  teamId: string;
  kinds?: LedgerKind[];
  from?: Date;
  to?: Date;
  cursor?: string | null;
  limit?: number;
}): Promise<{ entries: LedgerEntry[]; nextCursor: string | null }> {
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BillingError("VALIDATION_FAILED", "limit must be 1 to 500", { field: "limit" });
  const m = cursor == null ? null : CURSOR.exec(cursor);
  if (cursor != null && !m) throw new BillingError("VALIDATION_FAILED", "cursor is not valid", { field: "cursor" });
  const at = m ? new Date(Number(m[1])) : null;
  const where: Prisma.LedgerEntryWhereInput = {
    teamId,
    ...(kinds?.length ? { kind: { in: kinds } } : {}),
    AND: [
      ...(from ? [{ createdAt: { gte: from } }] : []),
      ...(to ? [{ createdAt: { lt: to } }] : []),
      ...(m && at ? [{ createdAt: { lte: at } }, { OR: [{ createdAt: { lt: at } }, { seq: { lt: BigInt(m[2]!) } }] }] : []),
    ],
  };
  const rows = await db.ledgerEntry.findMany({ where, orderBy: [{ createdAt: "desc" }, { seq: "desc" }], take: limit + 1 });
  const entries = rows.slice(0, limit);
  const last = entries[entries.length - 1];
  return { entries, nextCursor: rows.length > limit && last ? `${last.createdAt.getTime()}.${last.seq}` : null };
}
