import type { Actor } from "../../auth/permissions";
import { can, requirePermission } from "../../auth/permissions";
import { BillingError } from "../../billing/errors";
import type { Tx } from "../../db/client";
import type { TeamRole } from "../../db/generated/enums";
import { foldEmail } from "../../auth/input-text";

const NOT_A_MEMBER_OF_TEAM = "That team does not exist or you are not a member.";

export type UserActor = Extract<Actor, { kind: "user" }>;
export type LockedTeam = { id: string; personalOwnerId: string | null };

/**
 * Locks the team's row for the rest of the transaction: every change of a team's memberships and invitations takes
 * it first (as the ledger does), so owner counts and "already invited" checks read a settled team.
 */
export async function lockTeam(tx: Tx, teamId: string): Promise<LockedTeam> {
  const [row] = await tx.$queryRaw<{ id: string; personal_owner_id: string | null }[]>`SELECT id, personal_owner_id FROM teams WHERE id = ${teamId} FOR UPDATE`;
  if (!row) throw new BillingError("NOT_FOUND", NOT_A_MEMBER_OF_TEAM);
  return { id: row.id, personalOwnerId: row.personal_owner_id };
}

/**
 * The actor as they stand once the team is locked: a role changed or a membership removed a moment ago counts (two
 * owners demoting each other at once: the second finds they are no longer an owner).
 */
export async function lockedActor(tx: Tx, actor: UserActor): Promise<UserActor> {
  const me = await tx.membership.findUnique({ where: { teamId_userId: { teamId: actor.teamId, userId: actor.userId } }, select: { role: true } });
  if (!me) throw new BillingError("NOT_FOUND", NOT_A_MEMBER_OF_TEAM);
  return { ...actor, role: me.role };
}

/** Owners manage everyone; admins manage admins, billing and members, but cannot touch an owner or make one. */
export function mayManage(actor: UserActor, targetRole: TeamRole, newRole: TeamRole = targetRole): boolean {
  return can(actor, "members:manage") && (actor.role === "OWNER" || (targetRole !== "OWNER" && newRole !== "OWNER"));
}

/**
 * An invitation is its sender's word: it stands only while they could still send it (still a member who may manage
 * the invited role). `sender` is the sender's membership of the invitation's team, or null when they have none.
 */
export function senderMayStillInvite(sender: { userId: string; role: TeamRole } | null, teamId: string, invitedRole: TeamRole): boolean {
  return sender !== null && mayManage({ kind: "user", userId: sender.userId, teamId, role: sender.role, isPlatformAdmin: false }, invitedRole);
}

/** mayManage, refused in words: FORBIDDEN. */
export function assertMayManage(actor: UserActor, targetRole: TeamRole, newRole: TeamRole = targetRole): void {
  requirePermission(actor, "members:manage");
  if (!mayManage(actor, targetRole, newRole)) throw new BillingError("FORBIDDEN", "Only an owner can invite an owner, or change or remove one.");
}

/** Refuses a change that would leave the team without an owner (call with the team locked). */
export async function assertAnotherOwner(tx: Tx, teamId: string, what: string): Promise<void> {
  const owners = await tx.membership.count({ where: { teamId, role: "OWNER" } });
  if (owners <= 1) {
    throw new BillingError("CONFLICT", `A team always keeps at least one owner: make someone else an owner before ${what}.`);
  }
}

/** A personal team stays its person's: they cannot be demoted, removed, or leave it. */
export function assertNotPersonalOwner(team: LockedTeam, userId: string, what: string): void {
  if (team.personalOwnerId === userId) throw new BillingError("CONFLICT", `This is their personal team: its owner cannot be ${what}.`);
}

/** A membership of this team (NOT_FOUND for one of another team: ids name nothing outside their team). */
export async function teamMembership(tx: Tx, teamId: string, membershipId: string) {
  const m = await tx.membership.findFirst({
    where: { id: membershipId, teamId },
    select: { id: true, role: true, userId: true, user: { select: { email: true, name: true } } },
  });
  if (!m) throw new BillingError("NOT_FOUND", "No such member in this team.");
  return m;
}

/** A typed address (an invitation's): trimmed and folded (foldEmail). */
export const normalEmail = (email: string) => foldEmail(email.trim());
