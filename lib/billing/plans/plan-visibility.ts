import type { Tx } from "../../db/client";
import type { Prisma } from "../../db/generated/client";

// Custom plans (plans.team_id set) belong to one team. Every query that lists plans to a team or accepts a plan id
// from one goes through here, so a team never sees or chooses another team's contract.

/** The plans a team may see and choose: the active public ones and its own custom ones. */
export function plansVisibleTo(teamId: string): Prisma.PlanWhereInput {
  return { active: true, OR: [{ teamId: null }, { teamId }] };
}

/** The plan with this id if the team may choose it, else null (answer INVALID_PLAN: the same as an unknown id). */
export async function findPlanForTeam<S extends Prisma.PlanSelect>({
  db,
  teamId,
  planId,
  select,
}: {
  db: Tx;
  teamId: string;
  planId: string;
  select: S;
}): Promise<Prisma.PlanGetPayload<{ select: S }> | null> {
  return db.plan.findFirst({ where: { id: planId, ...plansVisibleTo(teamId) }, select }) as Promise<Prisma.PlanGetPayload<{ select: S }> | null>;
}

/** The plans a team may choose, in display order. */
export async function listPlansForTeam<S extends Prisma.PlanSelect>({ db, teamId, select }: { db: Tx; teamId: string; select: S }) {
  return db.plan.findMany({ where: plansVisibleTo(teamId), orderBy: [{ sortOrder: "asc" }, { id: "asc" }], select }) as Promise<
    Prisma.PlanGetPayload<{ select: S }>[]
  >;
}
