import { BillingError } from "../../billing/errors";
import type { Db } from "../../db/client";
import { queueInvitationEmail } from "./invitation-email";
import { INVITATION_DAYS, newInvitationLink } from "./invitation-link";
import { INVITES_PER_HOUR, invitationsSentLastHour, TOO_MANY_INVITATIONS } from "./invite-member";
import { invitationView, type InvitationView } from "./invitation-view";
import { assertMayManage, lockedActor, lockTeam, type UserActor } from "./member-rules";
import { openInvitation } from "./pending-invitation";

const RESEND_AFTER_MS = 60_000;

/**
 * A new link for a pending (or expired) invitation, valid 7 days from now; the old link stops working at once.
 * At most one a minute, and counted with the team's new invitations toward INVITES_PER_HOUR. Audit-logged (invitation.resent).
 */
export async function resendInvitation({
  db,
  actor,
  invitationId,
  appUrl,
  sendEmail,
  now = new Date(),
}: {
  db: Db;
  actor: UserActor;
  invitationId: string;
  appUrl: string;
  sendEmail: boolean;
  now?: Date;
}): Promise<{ invitation: InvitationView; link: string | null }> {
  return db.$transaction(async (tx) => {
    await lockTeam(tx, actor.teamId);
    const me = await lockedActor(tx, actor);
    const inv = await openInvitation(tx, actor.teamId, invitationId);
    assertMayManage(me, inv.role);
    const sentAt = inv.expiresAt.getTime() - INVITATION_DAYS * 86_400_000;
    if (now.getTime() - sentAt < RESEND_AFTER_MS) {
      throw new BillingError("RATE_LIMITED", "This invitation was sent less than a minute ago.", { retryAfterSeconds: 60 });
    }
    // A resend mails an address as an invitation does, so it counts toward the team's hourly invitations.
    if ((await invitationsSentLastHour(tx, actor.teamId, now)) >= INVITES_PER_HOUR) throw TOO_MANY_INVITATIONS();
    const { link, tokenHash, expiresAt } = newInvitationLink(actor.teamId, appUrl, now);
    // The one who sends it again vouches for it now (acceptInvitation asks whether its sender still may).
    const row = await tx.teamInvitation.update({ where: { id: inv.id }, data: { tokenHash, expiresAt, invitedByUserId: actor.userId } });
    const [team, inviter] = await Promise.all([
      tx.team.findUniqueOrThrow({ where: { id: actor.teamId }, select: { name: true } }),
      tx.user.findUnique({ where: { id: actor.userId }, select: { name: true, email: true } }),
    ]);
    const inviterName = inviter?.name ?? inviter?.email ?? "A team owner";
    if (sendEmail)
      await queueInvitationEmail(tx, { teamId: actor.teamId, teamName: team.name, email: row.email, role: row.role, link, expiresAt, inviter: inviterName });
    await tx.auditLog.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.userId,
        action: "invitation.resent",
        targetType: "invitation",
        targetId: row.id,
        data: { email: row.email, role: row.role, emailed: sendEmail },
      },
    });
    return { invitation: invitationView(row, inviterName, now), link: sendEmail ? null : link };
  });
}
