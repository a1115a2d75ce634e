import type { Tx } from "../../db/client";
import type { LedgerEntry, Prisma } from "../../db/generated/client";
import type { LedgerKind } from "../../db/generated/enums";
import { BillingError } from "../errors";

/**
 * A page of the team's history, newest first, in commit order (keyset on seq over the (team_id, seq) index).
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
  if (cursor != null && !/^\d{1,19}$/.test(cursor)) throw new BillingError("VALIDATION_FAILED", "cursor is not valid", { field: "cursor" });
  const where: Prisma.LedgerEntryWhereInput = {
    teamId,
    ...(kinds?.length ? { kind: { in: kinds } } : {}),
    ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    ...(cursor ? { seq: { lt: BigInt(cursor) } } : {}),
  };
  const rows = await db.ledgerEntry.findMany({ where, orderBy: { seq: "desc" }, take: limit + 1 });
  const entries = rows.slice(0, limit);
  return { entries, nextCursor: rows.length > limit ? entries[entries.length - 1]!.seq.toString() : null };
}
