import { BillingError } from "../../billing/errors";
import type { Db, Tx } from "../../db/client";
import type { TeamRole } from "../../db/generated/enums";
import { queueInvitationEmail } from "./invitation-email";
import { newInvitationLink } from "./invitation-link";
import { invitationView, type InvitationView } from "./invitation-view";
import { assertMayManage, lockedActor, lockTeam, normalEmail, type UserActor } from "./member-rules";

/** Invitations one team may send in an hour, and may have pending at once (an invite emails an address we do not know). */
export const INVITES_PER_HOUR = 20;
export const MAX_PENDING_INVITES = 50;

export const TOO_MANY_INVITATIONS = () =>
  new BillingError("RATE_LIMITED", "This team has sent too many invitations for now. Revoke unused ones or try again in an hour.", {
    retryAfterSeconds: 3600,
  });

/** Invitation emails the team sent in the hour before `now`: new ones and resends alike (their audit rows). */
export function invitationsSentLastHour(tx: Tx, teamId: string, now: Date): Promise<number> {
  return tx.auditLog.count({
    where: { teamId, action: { in: ["member.invited", "invitation.resent"] }, createdAt: { gt: new Date(now.getTime() - 3_600_000) } },
  });
}

/**
 * Invites an address to the actor's team with a role: owners may invite any role, admins any but owner. The signed
 * link is emailed when `sendEmail` (SMTP configured) and answered otherwise, for the inviter to pass on. One pending
 * invitation per address (resend it instead); none to a member. Audit-logged (member.invited).
 */
export async function inviteMember({
  db,
  actor,
  email,
  role,
  appUrl,
  sendEmail,
  now = new Date(),
}: {
  db: Db;
  actor: UserActor;
  email: string;
  role: TeamRole;
  appUrl: string;
  sendEmail: boolean;
  now?: Date;
}): Promise<{ invitation: InvitationView; link: string | null }> {
  const address = normalEmail(email);
  return db.$transaction(async (tx) => {
    await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    assertMayManage(me, role);
    const member = await tx.membership.findFirst({
      where: { teamId: actor.teamId, user: { email: { equals: address, mode: "insensitive" } } },
      select: { id: true },
    });
    if (member) throw new BillingError("CONFLICT", `${address} is already a member of this team.`, { field: "email" });
    const pending = await tx.teamInvitation.findFirst({
      where: { teamId: actor.teamId, email: address, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    });
    if (pending) throw new BillingError("CONFLICT", `${address} already has a pending invitation: resend or revoke it below.`, { field: "email" });
    const [recent, open] = await Promise.all([
      invitationsSentLastHour(tx, actor.teamId, now),
      tx.teamInvitation.count({ where: { teamId: actor.teamId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
    ]);
    if (recent >= INVITES_PER_HOUR || open >= MAX_PENDING_INVITES) throw TOO_MANY_INVITATIONS();
    const { link, tokenHash, expiresAt } = newInvitationLink(actor.teamId, appUrl, now);
    const row = await tx.teamInvitation.create({
      data: { teamId: actor.teamId, email: address, role, tokenHash, invitedByUserId: actor.userId, expiresAt, createdAt: now },
    });
    const [team, inviter] = await Promise.all([
      tx.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { name: true } }),
      tx.user.findUnique({ where: { id: actor.userId }, select: { name: true, email: true } }),
    ]);
    const inviterName = inviter?.name ?? inviter?.email ?? "A team owner";
    if (sendEmail) await queueInvitationEmail(tx, { teamId: actor.teamId, teamName: team.name, email: address, role, link, expiresAt, inviter: inviterName });
    await tx.auditLog.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.userId,
        action: "member.invited",
        targetType: "invitation",
        targetId: row.id,
        data: { email: address, role, emailed: sendEmail },
      },
    });
    return { invitation: invitationView(row, inviterName, now), link: sendEmail ? null : link };
  });
}
