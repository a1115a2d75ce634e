import type { Tx } from "../../db/client";
import type { HistoryType } from "./history-types";

// A page of a team's billing history, newest first, in constant time however deep the page (issue 13). Every ledger
// entry has a dense position per team (team_seq) and per team and type (type_seq), assigned under the team lock (see
// prisma/migrations/20261208010000_billing_history_seq), so:
//   - the positions 1..N of a sequence are all committed (a writer takes the next ones only after the last committed),
//     and never change: reading N first and everything else up to N is one consistent history without a transaction;
//   - page p is the positions N-(p-1)·size down to N-p·size+1: one range of a unique index; total is N;
//   - a date range is one range of positions [lo, hi] over the entries that are not late (their created_at rises with
//     the position), found on a partial index; the late entries (created_at older than an entry before them: a writer's
//     own clock) are few and are each looked at: those inside [lo, hi] but outside the dates are skipped, those outside
//     [lo, hi] but inside the dates are added.

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
};

export type BillingsPage = { items: BillingItem[]; total: number };

export type BillingsFilter = {
  type?: HistoryType | null;
  /** Inclusive lower bound on created_at. */
  from?: Date | null;
  /** Exclusive upper bound on created_at. */
  to?: Date | null;
};

type Row = { id: string; history_type: string; amount: bigint; created_at: Date; operation: string | null; payment_method: string | null; pos: bigint };

/** The SQL of one sequence: all of the team's entries (team_seq), or those of one type (type_seq). Constants only. */
function sequence(type: HistoryType | null | undefined) {
  return type
    ? { pos: "le.type_seq", where: "le.team_id = $1 AND le.history_type = $2", args: (teamId: string) => [teamId, type] as unknown[] }
    : { pos: "le.team_seq", where: "le.team_id = $1", args: (teamId: string) => [teamId] as unknown[] };
}

const COLUMNS = `le.id, le.history_type, le.amount, le.created_at, le.operation, p.method AS payment_method`;

/**
 * The team's history items at 1-based `page` of `pageSize`, newest first, and how many match. The caller checked the
 * actor's billing:read on this team.
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
  const [head] = await db.$queryRawUnsafe<{ last: bigint | null }[]>(`SELECT max(${s.pos}) AS last FROM ledger_entries le WHERE ${s.where}`, ...args);
  const last = head?.last ?? 0n;

  let lo = 1n;
  let hi = last;
  let late: { pos: bigint; created_at: Date }[] = [];
  const from = filter.from ?? null;
  const to = filter.to ?? null;
  if (last > 0n && (from || to)) {
    if (from) {
      const [r] = await db.$queryRawUnsafe<{ pos: bigint }[]>(
        `SELECT ${s.pos} AS pos FROM ledger_entries le WHERE ${s.where} AND NOT le.late AND le.created_at >= $${n + 1} AND ${s.pos} <= $${n + 2}
          ORDER BY le.created_at, ${s.pos} LIMIT 1`,
        ...args,
        from,
        last,
      );
      lo = r?.pos ?? last + 1n;
    }
    if (to) {
      const [r] = await db.$queryRawUnsafe<{ pos: bigint }[]>(
        `SELECT ${s.pos} AS pos FROM ledger_entries le WHERE ${s.where} AND NOT le.late AND le.created_at < $${n + 1} AND ${s.pos} <= $${n + 2}
          ORDER BY le.created_at DESC, ${s.pos} DESC LIMIT 1`,
        ...args,
        to,
        last,
      );
      hi = r?.pos ?? 0n;
    }
    late = await db.$queryRawUnsafe<{ pos: bigint; created_at: Date }[]>(
      `SELECT ${s.pos} AS pos, le.created_at FROM ledger_entries le WHERE ${s.where} AND le.late AND ${s.pos} <= $${n + 1}`,
      ...args,
      last,
    );
  }

  // An empty range sits just below lo, so every added position is either above it or below it, never both.
  if (hi < lo) hi = lo - 1n;
  const inDates = (at: Date) => (!from || at >= from) && (!to || at < to);
  const inRange = (pos: bigint) => pos >= lo && pos <= hi;
  const desc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
  const skipped = late.filter((l) => inRange(l.pos) && !inDates(l.created_at)).map((l) => l.pos);
  const added = late.filter((l) => !inRange(l.pos) && inDates(l.created_at)).map((l) => l.pos);
  skipped.sort(desc);
  const above = added.filter((p) => p > hi).sort(desc);
  const below = added.filter((p) => p < lo).sort(desc);
  const rangeCount = Number(hi >= lo ? hi - lo + 1n : 0n) - skipped.length;
  const total = above.length + rangeCount + below.length;

  // The matching positions, newest first, are: above, then hi..lo without the skipped ones, then below.
  const start = (page - 1) * pageSize;
  const end = Math.min(start + pageSize, total);
  if (start >= end) return { items: [], total };
  const picked: bigint[] = [];
  const slice = (list: bigint[], offset: number) => list.slice(Math.max(0, start - offset), Math.max(0, end - offset));
  picked.push(...slice(above, 0));
  const rangeFrom = Math.max(0, start - above.length);
  const rangeTo = Math.min(rangeCount, end - above.length);
  let top: bigint | null = null;
  let bottom: bigint | null = null;
  if (rangeFrom < rangeTo) {
    top = rangePosition(hi, skipped, rangeFrom);
    bottom = rangePosition(hi, skipped, rangeTo - 1);
  }
  const extra = [...picked, ...slice(below, above.length + rangeCount)];

  const rows: Row[] = [];
  if (top !== null && bottom !== null) {
    const skip = new Set(skipped.filter((p) => p >= bottom && p <= top));
    const inRangeRows = await db.$queryRawUnsafe<Row[]>(
      `SELECT ${COLUMNS}, ${s.pos} AS pos FROM ledger_entries le LEFT JOIN payments p ON p.id = le.payment_id
        WHERE ${s.where} AND ${s.pos} BETWEEN $${n + 1} AND $${n + 2} ORDER BY ${s.pos} DESC`,
      ...args,
      bottom,
      top,
    );
    rows.push(...inRangeRows.filter((r) => !skip.has(r.pos)));
  }
  if (extra.length > 0) {
    rows.push(
      ...(await db.$queryRawUnsafe<Row[]>(
        `SELECT ${COLUMNS}, ${s.pos} AS pos FROM ledger_entries le LEFT JOIN payments p ON p.id = le.payment_id
          WHERE ${s.where} AND ${s.pos} = ANY($${n + 1}::bigint[])`,
        ...args,
        extra.map(String),
      )),
    );
  }
  rows.sort((a, b) => desc(a.pos, b.pos));
  return {
    items: rows.map((r) => ({
      id: r.id,
      type: r.history_type as HistoryType,
      credits: r.amount,
      createdAt: r.created_at,
      operation: r.history_type === "usage" ? r.operation : null,
      paymentMethod: r.history_type === "topup" ? r.payment_method : null,
    })),
    total,
  };
}

/** The position of the j-th (0-based) entry of hi, hi-1, ... once the `skipped` positions (descending) are left out. */
function rangePosition(hi: bigint, skipped: readonly bigint[], j: number): bigint {
  let pos = hi - BigInt(j);
  for (const s of skipped) if (s >= pos) pos -= 1n;
  return pos;
}
