import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { type AuditViewer, auditTeamOf } from "./audit-viewer";

/** The heading of a team's audit log page: null for no such team (a 404); FORBIDDEN for a viewer who may not read it. */
export async function readTeamName({ db, viewer, teamId }: { db: Tx; viewer: AuditViewer; teamId: string }) {
  try {
    await auditTeamOf({ db, viewer, teamId });
  } catch (e) {
    if (e instanceof BillingError && e.code === "NOT_FOUND") return null;
    throw e;
  }
  return db.team.findUniqueOrThrow({ where: { id: teamId }, select: { id: true, name: true, slug: true } });
}
