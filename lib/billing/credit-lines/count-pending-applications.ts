import type { Tx } from "../../db/client";

/** Credit-line applications waiting for a platform admin: submitted, or approved once and waiting for a second admin. */
export async function countPendingApplications({ db }: { db: Tx }): Promise<number> {
  return db.creditLineApplication.count({ where: { status: { in: ["SUBMITTED", "AWAITING_SECOND_APPROVAL"] } } });
}
