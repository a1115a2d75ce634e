import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { ledgerCsvStream } from "./ledger-csv-stream";
import { parseExportRange } from "./parse-export-range";

/**
 * The actor's team's ledger for a range of UTC days (inclusive, as typed), as a CSV stream and the file's name:
 * billing data, so FORBIDDEN without billing:read; a range that is not two dates in order is VALIDATION_FAILED.
 */
export function exportLedger({ db, actor, teamSlug, from, to }: { db: Db; actor: Actor; teamSlug: string; from: unknown; to: unknown }) {
  requirePermission(actor, "billing:read");
  const range = parseExportRange({ from, to });
  return {
    stream: ledgerCsvStream({ db, teamId: actor.teamId, from: range.from, toExclusive: range.toExclusive }),
    filename: `${teamSlug}-ledger-${range.fromDay}-to-${range.toDay}.csv`,
  };
}
