import type { Tx } from "../../db/client";
import type { ApplicantType, ApplicationStatus } from "../../db/generated/client";
import { type ApplicationView, applicationViews, MESSAGES_INCLUDE } from "./application-view";
import { OPEN_STATUSES } from "./application-rules";

export type AuditEntry = { id: string; action: string; actor: { name: string | null; email: string | null } | null; createdAt: Date; reason: string | null };

export type QueueItem = ApplicationView & {
  team: { id: string; name: string; slug: string; creditLimitCents: bigint; suspended: boolean; suspendedReason: string | null };
  applicant: { name: string | null; email: string | null } | null;
  firstApprover: { name: string | null; email: string | null } | null;
  audit: AuditEntry[];
};

/**
 * The review queue for platform admins, oldest first: by default what is under way; or one status; optionally one
 * applicant type. Each item carries its thread and its audit trail (the application's events and its team's line
 * changes). At most 100.
 */
export async function listApplications({ db, status, type }: { db: Tx; status?: ApplicationStatus | "OPEN"; type?: ApplicantType }): Promise<QueueItem[]> {
  const rows = await db.creditLineApplication.findMany({
    where: {
      status: !status || status === "OPEN" ? { in: [...OPEN_STATUSES] } : status,
      ...(type ? { applicantType: type } : {}),
    },
    orderBy: [{ submittedAt: "asc" }, { createdAt: "asc" }],
    take: 100,
    include: {
      ...MESSAGES_INCLUDE,
      team: { select: { id: true, name: true, slug: true, creditLimitCents: true, drawSuspendedAt: true, drawSuspendedReason: true } },
    },
  });
  const views = await applicationViews(db, rows);
  const audits = await db.auditLog.findMany({
    where: {
      action: { startsWith: "credit_line." },
      OR: [
        { targetType: "credit_line_application", targetId: { in: rows.map((r) => r.id) } },
        { targetType: "team", teamId: { in: rows.map((r) => r.teamId) } },
      ],
    },
    orderBy: { createdAt: "asc" },
  });
  const userIds = [
    ...new Set([...rows.flatMap((r) => [r.applicantUserId, r.firstApproverUserId]), ...audits.map((a) => a.actorUserId)].filter((x) => x !== null)),
  ];
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, u]));
  const person = (id: string | null) => (id && users.get(id) ? { name: users.get(id)!.name, email: users.get(id)!.email } : null);
  return rows.map((r, i) => ({
    ...views[i]!,
    team: {
      id: r.team.id,
      name: r.team.name,
      slug: r.team.slug,
      creditLimitCents: r.team.creditLimitCents,
      suspended: r.team.drawSuspendedAt !== null,
      suspendedReason: r.team.drawSuspendedReason,
    },
    applicant: person(r.applicantUserId),
    firstApprover: person(r.firstApproverUserId),
    audit: audits
      .filter((a) => (a.targetType === "team" ? a.teamId === r.teamId && a.action !== "credit_line.limit_set" : a.targetId === r.id))
      .map((a) => ({ id: a.id, action: a.action, actor: person(a.actorUserId), createdAt: a.createdAt, reason: reasonOf(a.data) })),
  }));
}

const reasonOf = (data: unknown) => {
  const r = (data as { reason?: unknown } | null)?.reason;
  return typeof r === "string" ? r : null;
};
