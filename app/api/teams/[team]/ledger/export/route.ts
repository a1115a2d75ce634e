import { exportLedger } from "@/lib/billing/exports/export-ledger";
import { route } from "@/lib/edge/route";
import { ledgerExportRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The ledger of a range of UTC days as CSV, streamed in keyset chunks. */
export const GET = route(ledgerExportRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor, team, query }) => {
  const { stream, filename } = exportLedger({ db, actor, teamSlug: team.slug, from: query.from, to: query.to });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
});
