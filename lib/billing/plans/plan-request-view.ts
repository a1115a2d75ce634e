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
