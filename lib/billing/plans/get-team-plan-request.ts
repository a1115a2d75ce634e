import type { Tx } from "../../db/client";
import { type PlanRequestView, planRequestView } from "./plan-request-view";

/** The team's latest Enterprise request (open, or the last answer), or null when it never asked. */
export async function getTeamPlanRequest({ db, teamId }: { db: Tx; teamId: string }): Promise<PlanRequestView | null> {
  const open = await db.planRequest.findFirst({ where: { teamId, status: "OPEN" }, include: { plan: { select: { id: true, name: true } } } });
  const row =
    open ??
    (await db.planRequest.findFirst({
      where: { teamId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: { plan: { select: { id: true, name: true } } },
    }));
  return row ? planRequestView(row) : null;
}
