import { withTeamSession } from "@/lib/auth/team-route";
import { ledgerCsvStream } from "@/lib/billing/exports/ledger-csv-stream";
import { parseExportRange } from "@/lib/billing/exports/parse-export-range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET ?from=YYYY-MM-DD&to=YYYY-MM-DD (inclusive, UTC): the ledger as CSV, streamed in keyset chunks. */
export const GET = withTeamSession("billing:read", async ({ req, team, db }) => {
  const q = new URL(req.url).searchParams;
  const range = parseExportRange({ from: q.get("from"), to: q.get("to") });
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
