import type { Tx } from "../../db/client";

/** Credit-line applications waiting for a platform admin's review (the admin console's count; its pages are admin-only). */
export async function countPendingApplications({ db }: { db: Tx }): Promise<number> {
  return db.creditLineApplication.count({ where: { status: "PENDING" } });
}
