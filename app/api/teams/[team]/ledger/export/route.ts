import { ledgerCsvStream } from "@/lib/billing/exports/ledger-csv-stream";
import { parseExportRange } from "@/lib/billing/exports/parse-export-range";
import { route } from "@/lib/edge/route";
import { ledgerExportRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The ledger of a range of UTC days as CSV, streamed in keyset chunks. */
export const GET = route(ledgerExportRoute, { auth: "team", permission: "billing:read" }, async ({ db, team, query }) => {
  const range = parseExportRange({ from: query.from, to: query.to });
  const stream = ledgerCsvStream({ db, teamId: team.id, from: range.from, toExclusive: range.toExclusive });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${team.slug}-ledger-${range.fromDay}-to-${range.toDay}.csv"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
