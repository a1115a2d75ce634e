import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";

/**
 * GET /api/teams/:team/ledger/export?from=YYYY-MM-DD&to=YYYY-MM-DD (inclusive, UTC): the ledger as CSV, streamed (a
 * file, so no JSON output). The dates are checked by the core (parseExportRange), which names the field it refuses.
 */
export const ledgerExportRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/ledger/export",
  params: z.object({ team: z.string() }),
  query: z.object({ from: z.string().optional(), to: z.string().optional() }),
  output: null,
});
