import type { Tx } from "../../db/client";
import type { HistoryType } from "./history-types";

// A page of a team's billing history, newest first, in constant time however deep the page (issue 13). Every ledger
// entry has a dense position per team (team_seq) and per team and type (type_seq), assigned under the team lock (see
// prisma/migrations/20261208010000_billing_history_seq), so:
//   - the positions 1..N of a sequence are all committed (a writer takes the next ones only after the last committed),
//     and never change: reading N first and everything else up to N is one consistent history without a transaction;
//   - page p is the positions N-(p-1)·size down to N-p·size+1: one range of a unique index; total is N;
//   - a range of UTC days is one range of positions [lo, hi] over the entries that are not late (their created_at rises
//     with the position): from the first position of its first day with entries to the one before the first position
//     of the next day with entries after it, or the last (ledger_history_days); the late entries (created_at older than an entry before them: a writer's own clock) are
//     few and are each looked at: those inside [lo, hi] but outside the days are skipped, those outside [lo, hi] but
//     inside the days are added.

export type BillingItem = {
  id: string;
  type: HistoryType;
  /** Signed credits: positive adds, negative spends. */
  credits: bigint;
  createdAt: Date;
  /** The usage's operation (usage only). */
  operation: string | null;
  /** How the payment behind a top-up was paid (card, paypal, ...); null without a payment. */
  paymentMethod: string | null;
  /** Usage through a test key (cdk_test_…). */
  test: boolean;
};

export type BillingsPage = { items: BillingItem[]; total: number };

export type BillingsFilter = {
  type?: HistoryType | null;
  /** Inclusive lower bound on created_at: the start of a UTC day. */
  from?: Date | null;
  /** Exclusive upper bound on created_at: the start of a UTC day (the day after the last one wanted). */
  to?: Date | null;
};

type Row = {
  id: string;
  history_type: string;
  amount: bigint;
  created_at: Date;
  operation: string | null;
  payment_method: string | null;
  test: boolean;
  pos: bigint;
};

/** The SQL of one sequence: all of the team's entries (team_seq), or those of one type (type_seq). Constants only. */
function sequence(type: HistoryType | null | undefined) {
  return type
    ? {
        pos: "le.type_seq",
        where: "le.team_id = $1 AND le.history_type = $2",
        days: (d: string) => `${d}.team_id = $1 AND ${d}.history_type = $2`,
        first: "first_type_seq",
        args: (teamId: string) => [teamId, type] as unknown[],
      }
    : {
        pos: "le.team_seq",
        where: "le.team_id = $1",
        days: (d: string) => `${d}.team_id = $1`,
        first: "first_team_seq",
        args: (teamId: string) => [teamId] as unknown[],
      };
}

const DAY_MS = 86_400_000;
const two = (n: number) => String(n).padStart(2, "0");
/** YYYY-MM-DD as PostgreSQL reads it, also past 9999 (the day after end_date=9999-12-31, which toISOString writes "+010000-01-01"). */
const utcDay = (d: Date | null) => {
  if (d && d.getTime() % DAY_MS !== 0) throw new Error(`listBillings: ${d.toISOString()} is not the start of a UTC day`);
  return d ? `${String(d.getUTCFullYear()).padStart(4, "0")}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}` : null;
};

const COLUMNS = `le.id, le.history_type, le.amount, le.created_at, le.operation, p.method AS payment_method, le.test`;

const desc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);

/**
 * The team's history items at 1-based `page` of `pageSize`, newest first, and how many match. The caller checked the
 * actor's billing:read on this team. One statement without dates, two with.
 */
export async function listBillings({
  db,
  teamId,
  page,
  pageSize,
  filter = {},
}: {
  db: Tx;
  teamId: string;
  page: number;
  pageSize: number;
  filter?: BillingsFilter;
}): Promise<BillingsPage> {
  const s = sequence(filter.type);
  const args = s.args(teamId);
  const n = args.length;
  const from = filter.from ?? null;
  const to = filter.to ?? null;
  const start = (page - 1) * pageSize;

  if (!from && !to) {
    // Positions last-start down to last-start-pageSize+1, in the statement that reads last.
    const rows = await db.$queryRawUnsafe<(Omit<Row, "id"> & { id: string | null; last: bigint })[]>(
      `WITH h AS (SELECT COALESCE(max(${s.pos}), 0) AS last FROM ledger_entries le WHERE ${s.where})
       SELECT h.last, r.* FROM h LEFT JOIN LATERAL (
         SELECT ${COLUMNS}, ${s.pos} AS pos FROM ledger_entries le LEFT JOIN payments p ON p.id = le.payment_id
          WHERE ${s.where} AND ${s.pos} BETWEEN h.last - $${n + 1}::bigint - $${n + 2}::bigint + 1 AND h.last - $${n + 1}::bigint
       ) r ON true ORDER BY r.pos DESC`,
      ...args,
      start,
      pageSize,
    );
    const total = Number(rows[0]?.last ?? 0n);
    return { items: rows.filter((r): r is Row & { last: bigint } => r.id !== null).map(item), total };
  }

  // The last position, the range of positions [lo, hi] of the entries that are not late inside the dates, and the
  // late entries, all up to the last position.
  const [b] = await db.$queryRawUnsafe<{ last: bigint; lo: bigint; hi: bigint; late_pos: unknown[] | null; late_at: unknown[] | null }[]>(
    `WITH h AS (SELECT COALESCE(max(${s.pos}), 0) AS last FROM ledger_entries le WHERE ${s.where})
     SELECT h.last,
            CASE WHEN $${n + 1}::date IS NULL THEN 1 ELSE LEAST(COALESCE(
              (SELECT min(d.${s.first}) FROM ledger_history_days d
                WHERE ${s.days("d")} AND d.day = (SELECT min(e.day) FROM ledger_history_days e WHERE ${s.days("e")} AND e.day >= $${n + 1}::date)),
              h.last + 1), h.last + 1) END AS lo,
            CASE WHEN $${n + 2}::date IS NULL THEN h.last ELSE LEAST(COALESCE(
              (SELECT min(d.${s.first}) - 1 FROM ledger_history_days d
                WHERE ${s.days("d")} AND d.day = (SELECT min(e.day) FROM ledger_history_days e WHERE ${s.days("e")} AND e.day >= $${n + 2}::date)),
              h.last), h.last) END AS hi,
            l.late_pos, l.late_at
       FROM h LEFT JOIN LATERAL (
         SELECT array_agg(${s.pos}) AS late_pos, array_agg(le.created_at) AS late_at FROM ledger_entries le WHERE ${s.where} AND le.late AND ${s.pos} <= h.last
       ) l ON true`,
    ...args,
    utcDay(from),
    utcDay(to),
  );
  const lo = BigInt(b?.lo ?? 1n);
  // An empty range sits just below lo, so every added position is either above it or below it, never both.
  const hi = BigInt(b?.hi ?? 0n) < lo ? lo - 1n : BigInt(b?.hi ?? 0n);
  const late = (b?.late_pos ?? []).map((p, i) => ({ pos: BigInt(p as bigint | string), at: new Date(b!.late_at![i] as Date | string) }));

  const inDates = (at: Date) => (!from || at >= from) && (!to || at < to);
  const inRange = (pos: bigint) => pos >= lo && pos <= hi;
  const skipped = late.filter((l) => inRange(l.pos) && !inDates(l.at)).map((l) => l.pos);
  const added = late.filter((l) => !inRange(l.pos) && inDates(l.at)).map((l) => l.pos);
  skipped.sort(desc);
  const above = added.filter((p) => p > hi).sort(desc);
  const below = added.filter((p) => p < lo).sort(desc);
  const rangeCount = Number(hi - lo + 1n) - skipped.length;
  const total = above.length + rangeCount + below.length;

  // The matching positions, newest first, are: above, then hi..lo without the skipped ones, then below.
  const end = Math.min(start + pageSize, total);
  if (start >= end) return { items: [], total };
  const slice = (list: bigint[], offset: number) => list.slice(Math.max(0, start - offset), Math.max(0, end - offset));
  const extra = [...slice(above, 0), ...slice(below, above.length + rangeCount)];
  const rangeFrom = Math.max(0, start - above.length);
  const rangeTo = Math.min(rangeCount, end - above.length);
  // An empty range (1..0) when the page holds none of it.
  const top = rangeFrom < rangeTo ? rangePosition(hi, skipped, rangeFrom) : 0n;
  const bottom = rangeFrom < rangeTo ? rangePosition(hi, skipped, rangeTo - 1) : 1n;
  const skip = new Set(skipped);
  // Usually no late entry is on the page: then the plain range, which the planner walks on the unique index.
  const anyLate = extra.length > 0 ? ` OR ${s.pos} = ANY($${n + 3}::bigint[])` : "";
  const rows = await db.$queryRawUnsafe<Row[]>(
    `SELECT ${COLUMNS}, ${s.pos} AS pos FROM ledger_entries le LEFT JOIN payments p ON p.id = le.payment_id
      WHERE ${s.where} AND (${s.pos} BETWEEN $${n + 1}::bigint AND $${n + 2}::bigint${anyLate})
      ORDER BY ${s.pos} DESC`,
    ...args,
    bottom,
    top,
    ...(extra.length > 0 ? [extra.map(String)] : []),
  );
  return { items: rows.filter((r) => !skip.has(BigInt(r.pos))).map(item), total };
}

function item(r: Row): BillingItem {
  return {
    id: r.id,
    type: r.history_type as HistoryType,
    credits: BigInt(r.amount),
    createdAt: new Date(r.created_at),
    operation: r.history_type === "usage" ? r.operation : null,
    paymentMethod: r.history_type === "topup" ? r.payment_method : null,
    test: r.test === true,
  };
}

/** The position of the j-th (0-based) entry of hi, hi-1, ... once the `skipped` positions (descending) are left out. */
function rangePosition(hi: bigint, skipped: readonly bigint[], j: number): bigint {
  let pos = hi - BigInt(j);
  for (const s of skipped) if (s >= pos) pos -= 1n;
  return pos;
}
