import { stringify } from "csv-stringify/sync";
import type { Tx } from "../../db/client";
import { centsToUsd, formatCredits } from "../money";
import { loadPaymentCredits } from "../payments/payment-credits";

export const LEDGER_CSV_COLUMNS = [
  "date_utc",
  "entry_id",
  "kind",
  "description",
  "operation",
  "quantity",
  "credits",
  "balance_after",
  "payment_id",
  "paid_usd",
  "api_key_id",
  "payment_credits",
] as const;

type Row = {
  id: string;
  created_at: Date;
  kind: string;
  description: string | null;
  operation: string | null;
  quantity: bigint | null;
  amount: bigint;
  balance_after: bigint;
  payment_id: string | null;
  api_key_id: string | null;
  seq: bigint;
  paid_cents: bigint | null;
};

// A cell starting with = + - @ (or a tab/CR) is a formula to spreadsheets; text cells get a leading quote instead.
const textCell = (s: string | null) => (s == null ? "" : /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

/**
 * The team's ledger between two times as CSV, oldest first, streamed: each pull reads the next `chunkSize` entries by
 * keyset over (created_at, seq) on the (team_id, created_at) index, so memory stays one chunk whatever the range. The
 * last row totals the range (TOTAL: entries, credits in and out, net credits, money paid). Entries that bought credits
 * carry the money paid (paid_usd) and every credit that payment brought (payment_credits: bought, bonus and the
 * code's grant, the figure payment history and the invoice show); every other amount is credits.
 */
export function ledgerCsvStream({
  db,
  teamId,
  from,
  toExclusive,
  chunkSize = 2000,
}: {
  db: Tx;
  teamId: string;
  from: Date;
  toExclusive: Date;
  chunkSize?: number;
}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: { at: Date; seq: bigint } | null = null;
  let started = false;
  let done = false;
  const total = { n: 0, credited: 0n, debited: 0n, paidCents: 0n };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(stringify([[...LEDGER_CSV_COLUMNS]])));
          return;
        }
        const rows: Row[] = cursor
          ? await db.$queryRaw<Row[]>`
              SELECT le.id, le.created_at, le.kind::text AS kind, le.description, le.operation, le.quantity, le.amount, le.balance_after,
                     le.payment_id, le.api_key_id, le.seq,
                     CASE WHEN le.kind IN ('TOPUP', 'PURCHASE', 'AUTO_TOPUP') THEN p.amount_cents END AS paid_cents
                FROM ledger_entries le LEFT JOIN payments p ON p.id = le.payment_id
               WHERE le.team_id = ${teamId} AND le.created_at >= ${cursor.at} AND le.created_at < ${toExclusive}
                 AND (le.created_at, le.seq) > (${cursor.at}::timestamptz, ${cursor.seq}::bigint)
               ORDER BY le.created_at, le.seq LIMIT ${chunkSize}`
          : await db.$queryRaw<Row[]>`
              SELECT le.id, le.created_at, le.kind::text AS kind, le.description, le.operation, le.quantity, le.amount, le.balance_after,
                     le.payment_id, le.api_key_id, le.seq,
                     CASE WHEN le.kind IN ('TOPUP', 'PURCHASE', 'AUTO_TOPUP') THEN p.amount_cents END AS paid_cents
                FROM ledger_entries le LEFT JOIN payments p ON p.id = le.payment_id
               WHERE le.team_id = ${teamId} AND le.created_at >= ${from} AND le.created_at < ${toExclusive}
               ORDER BY le.created_at, le.seq LIMIT ${chunkSize}`;
        const paidIds = [...new Set(rows.flatMap((r) => (r.paid_cents != null && r.payment_id ? [r.payment_id] : [])))];
        const payments = paidIds.length === 0 ? [] : await db.payment.findMany({ where: { id: { in: paidIds } } });
        const brought = await loadPaymentCredits(db, payments);
        const records = rows.map((r) => {
          const amount = BigInt(r.amount);
          total.n += 1;
          if (amount >= 0n) total.credited += amount;
          else total.debited -= amount;
          if (r.paid_cents != null) total.paidCents += BigInt(r.paid_cents);
          return [
            r.created_at.toISOString(),
            r.id,
            r.kind,
            textCell(r.description),
            textCell(r.operation),
            r.quantity == null ? "" : String(r.quantity),
            String(amount),
            String(r.balance_after),
            r.payment_id ?? "",
            r.paid_cents == null ? "" : centsToUsd(BigInt(r.paid_cents)).toFixed(2),
            r.api_key_id ?? "",
            r.paid_cents != null && r.payment_id ? (brought.get(r.payment_id)?.total.toString() ?? "") : "",
          ];
        });
        const last = rows[rows.length - 1];
        if (last) cursor = { at: last.created_at, seq: BigInt(last.seq) };
        if (rows.length < chunkSize) {
          done = true;
          records.push([
            "TOTAL",
            `${total.n} entries`,
            "",
            `credits in ${formatCredits(total.credited)}; credits out ${formatCredits(total.debited)}`,
            "",
            "",
            String(total.credited - total.debited),
            "",
            "",
            centsToUsd(total.paidCents).toFixed(2),
            "",
            "",
          ]);
        }
        if (records.length > 0) controller.enqueue(encoder.encode(stringify(records)));
        if (done) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
