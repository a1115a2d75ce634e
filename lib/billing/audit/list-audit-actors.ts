import type { Tx } from "../../db/client";
import { type AuditViewer, auditTeamOf } from "./audit-viewer";

export type AuditActorOption = { value: string; label: string };

/** The actor filter's choices: the team's members and API keys, and "Stripe or the system" (rows with neither). */
export async function listAuditActors({ db, viewer, teamId }: { db: Tx; viewer: AuditViewer; teamId: string }): Promise<AuditActorOption[]> {
  const team = await auditTeamOf({ db, viewer, teamId });
  const [members, keys] = await Promise.all([
    db.membership.findMany({ where: { teamId: team }, select: { user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: "asc" } }),
    db.apiKey.findMany({ where: { teamId: team }, select: { id: true, name: true, prefix: true }, orderBy: { createdAt: "asc" } }),
  ]);
  return [
    ...members.map((m) => ({
      value: `user:${m.user.id}`,
      label: m.user.name ? `${m.user.name} (${m.user.email ?? "no email"})` : (m.user.email ?? m.user.id),
    })),
    ...keys.map((k) => ({ value: `key:${k.id}`, label: `API key “${k.name}” (${k.prefix}…)` })),
    { value: "system", label: "Stripe or the system" },
  ];
}
