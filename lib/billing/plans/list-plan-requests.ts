import type { Tx } from "../../db/client";
import type { PlanRequestStatus } from "../../db/generated/enums";

/** An Enterprise request as the team sees it (who handled it stays with the platform). */
export type PlanRequestView = {
  id: string;
  status: PlanRequestStatus;
  company: string;
  contactEmail: string;
  expectedMonthlyCredits: bigint;
  message: string;
  declineReason: string | null;
  plan: { id: string; name: string } | null;
  createdAt: Date;
  handledAt: Date | null;
};

/** As platform admins see it: also the team and who asked. */
export type AdminPlanRequestView = PlanRequestView & {
  team: { id: string; name: string; slug: string };
  requester: { email: string | null; name: string | null } | null;
};

type Row = {
  id: string;
  teamId: string;
  status: PlanRequestStatus;
  company: string;
  contactEmail: string;
  expectedMonthlyCredits: bigint;
  message: string;
  declineReason: string | null;
  createdAt: Date;
  handledAt: Date | null;
  plan?: { id: string; name: string } | null;
  team?: { name: string; slug: string };
  requester?: { email: string | null; name: string | null } | null;
};

export function planRequestView(r: Row): PlanRequestView {
  return {
    id: r.id,
    status: r.status,
    company: r.company,
    contactEmail: r.contactEmail,
    expectedMonthlyCredits: r.expectedMonthlyCredits,
    message: r.message,
    declineReason: r.declineReason,
    plan: r.plan ? { id: r.plan.id, name: r.plan.name } : null,
    createdAt: r.createdAt,
    handledAt: r.handledAt,
  };
}

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

export async function countOpenPlanRequests({ db }: { db: Tx }): Promise<number> {
  return db.planRequest.count({ where: { status: "OPEN" } });
}

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
