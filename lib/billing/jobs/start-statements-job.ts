import type { Db } from "../../db/client";
import { sweepStatements } from "../statements/sweep-statements";
import type { CustomerGateway } from "../cards/card-port";
import type { StatementGateway } from "../statements/statement-port";
import { runPeriodically } from "./run-periodically";

/**
 * Closes and bills statements every `everyMs` in this process (the app starts it at boot when Stripe is configured):
 * each team's draw below zero at its cycle boundary, statements not yet billed, and overdue ones. Safe in every
 * instance at once (a statement is unique per team, kind and boundary; its invoice is keyed by the statement).
 */
export function startStatementsJob({
  db,
  gateway,
  everyMs = 5 * 60_000,
  now = () => new Date(),
  onError = (e: unknown) => console.error("[creditdesk] statements sweep failed:", e),
}: {
  db: Db;
  gateway: StatementGateway & CustomerGateway;
  everyMs?: number;
  now?: () => Date;
  onError?: (e: unknown) => void;
}): { stop: () => Promise<void> } {
  return runPeriodically({ everyMs, onError, work: () => sweepStatements({ db, gateway, now: now(), onError }) });
}
