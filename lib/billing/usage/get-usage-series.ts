import type { Tx } from "../../db/client";
import { BillingError } from "../errors";

export type UsagePoint = { day: string; operation: string; quantity: bigint; credits: bigint; events: bigint };

/** Daily usage per operation for charts, from the rollups (primary key (team_id, day, operation) serves the range). */
export async function getUsageSeries({ db, teamId, from, to }: { db: Tx; teamId: string; from: Date; to: Date }): Promise<UsagePoint[]> {
  if (!(from < to)) throw new BillingError("VALIDATION_FAILED", "from must be before to", { field: "from" });
  if (to.getTime() - from.getTime() > 400 * 86_400_000) throw new BillingError("VALIDATION_FAILED", "the range may span at most 400 days", { field: "to" });
  const rows = await db.usageRollup.findMany({
    where: { teamId, day: { gte: from, lt: to } },
    orderBy: [{ day: "asc" }, { operation: "asc" }],
    select: { day: true, operation: true, quantity: true, credits: true, events: true },
  });
  return rows.map((r) => ({ day: r.day.toISOString().slice(0, 10), operation: r.operation, quantity: r.quantity, credits: r.credits, events: r.events }));
}
