import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";

/** Who reads an audit log: a member of the team (owners and admins: audit:read), or a platform admin for any team. */
export type AuditViewer = Actor | { kind: "platformAdmin"; userId: string };

/**
 * The team whose log the viewer may read: a member reads only their own team's (FORBIDDEN without audit:read), a
 * platform admin any team's (checked against the database, not trusted from the caller). NOT_FOUND for no such team.
 */
export async function auditTeamOf({ db, viewer, teamId }: { db: Tx; viewer: AuditViewer; teamId: string }): Promise<string> {
  if (viewer.kind === "platformAdmin") {
    const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { isPlatformAdmin: true } });
    if (!user?.isPlatformAdmin) throw new BillingError("FORBIDDEN", "Only platform admins can read another team's audit log.");
    // The id comes from the address bar: one no row could have (a NUL, broken Unicode) is no team, not a failed query.
    const team = /^[A-Za-z0-9_-]{1,255}$/.test(teamId) ? await db.team.findUnique({ where: { id: teamId }, select: { id: true } }) : null;
    if (!team) throw new BillingError("NOT_FOUND", "No such team.");
    return team.id;
  }
  requirePermission(viewer, "audit:read");
  if (viewer.teamId !== teamId) throw new BillingError("NOT_FOUND", "No such team.");
  return teamId;
}
