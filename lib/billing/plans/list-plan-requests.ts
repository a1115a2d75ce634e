import type { Tx } from "../../db/client";
import { type AdminPlanRequestView, planRequestView } from "./plan-request-view";

const ADMIN_INCLUDE = {
  plan: { select: { id: true, name: true } },
  team: { select: { name: true, slug: true } },
  requester: { select: { email: true, name: true } },
} as const;

/** The open Enterprise requests, oldest first, for platform admins (the caller has checked that). */
export async function listOpenPlanRequests({ db, limit = 100 }: { db: Tx; limit?: number }): Promise<AdminPlanRequestView[]> {
  const rows = await db.planRequest.findMany({
    where: { status: "OPEN" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    include: ADMIN_INCLUDE,
  });
  return rows.map((r) => ({
    ...planRequestView(r),
    team: { id: r.teamId, name: r.team.name, slug: r.team.slug },
    requester: r.requester ? { email: r.requester.email, name: r.requester.name } : null,
  }));
}
