import type { Tx } from "../../db/client";

/**
 * Credit-line statements paid on time, counted back from the latest (paid on or before the due date; one that is
 * late, unpaid or void ends the run, and so does one whose payment a refund or a dispute has taken back, in whole or in
 * part: that draw is owed again). An increase needs CREDIT_LINE_HEALTHY_CYCLES of them.
 */
export async function countHealthyCycles(tx: Tx, teamId: string, upTo = 24): Promise<number> {
  const statements = await tx.statement.findMany({
    where: { teamId, kind: "CREDIT_LINE", status: { not: "BILLING" } },
    orderBy: { closesAt: "desc" },
    take: upTo,
    select: { status: true, paidAt: true, dueAt: true, refundedCents: true, heldCents: true },
  });
  let run = 0;
  for (const s of statements) {
    const onTime = s.status === "PAID" && s.paidAt !== null && (s.dueAt === null || s.paidAt.getTime() <= s.dueAt.getTime());
    const kept = s.refundedCents === 0n && s.heldCents === 0n;
    if (!onTime || !kept) break;
    run += 1;
  }
  return run;
}
