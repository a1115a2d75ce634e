import { BillingError } from "../errors";
import type { Tx } from "../../db/client";

/**
 * Credit-line statements paid on time, counted back from the latest (paid on or before the due date; one that is
 * late, unpaid or void ends the run). An increase needs CREDIT_LINE_HEALTHY_CYCLES of them.
 */
export async function countHealthyCycles(tx: Tx, teamId: string, upTo = 24): Promise<number> {
  const statements = await tx.statement.findMany({
    where: { teamId, kind: "CREDIT_LINE", status: { not: "BILLING" } },
    orderBy: { closesAt: "desc" },
    take: upTo,
    select: { status: true, paidAt: true, dueAt: true },
  });
  let run = 0;
  for (const s of statements) {
    const onTime = s.status === "PAID" && s.paidAt !== null && (s.dueAt === null || s.paidAt.getTime() <= s.dueAt.getTime());
    if (!onTime) break;
    run += 1;
  }
  return run;
}

/**
 * Refuses (CONFLICT, details rule HEALTHY_CYCLES) an increase for a line without `needed` statements paid on time in a
 * row: checked when it is asked for and again when an admin approves or confirms it, since a statement may have gone
 * late or unpaid in between.
 */
export async function assertHealthyCycles(tx: Tx, teamId: string, needed: number, when: "submit" | "review"): Promise<void> {
  const healthy = await countHealthyCycles(tx, teamId, needed);
  if (healthy >= needed) return;
  const message =
    when === "submit"
      ? `An increase can be reviewed after ${needed} monthly statements paid on time in a row; this line has ${healthy} so far.`
      : `This increase cannot be approved: the line now has ${healthy} of the ${needed} statements paid on time in a row an increase needs (one was paid late or is unpaid since it was asked for). Reject it, or wait until the run is back.`;
  throw new BillingError("CONFLICT", message, { rule: "HEALTHY_CYCLES", healthyCycles: healthy, needed });
}
