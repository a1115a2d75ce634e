import type { Tx } from "../../db/client";
import type { TeamRole } from "../../db/generated/enums";
import { roleGuide } from "./role-guide";

/**
 * Queues the invitation email (the notifications sweep sends it when SMTP is configured). The row names no team user,
 * so the link never shows in the dashboard: only the invited mailbox sees it.
 */
export async function queueInvitationEmail(
  tx: Tx,
  {
    teamId,
    teamName,
    email,
    role,
    link,
    expiresAt,
    inviter,
  }: { teamId: string; teamName: string; email: string; role: TeamRole; link: string; expiresAt: Date; inviter: string },
): Promise<void> {
  await tx.notification.create({
    data: {
      teamId,
      kind: "team_invitation",
      title: `${inviter} invited you to ${teamName}`,
      body:
        `${inviter} invited you to join ${teamName} on Creditdesk as ${roleGuide[role].label.toLowerCase()}.\n\n` +
        `Accept here, signed in as ${email} (the link works once, until ${expiresAt.toISOString()}):\n${link}\n\n` +
        "If you did not expect this, ignore this email: nothing happens unless you accept.",
      email,
    },
  });
}

/** Whether this installation sends email (EMAIL_SERVER): if not, the inviter is shown the link to pass on. */
export const emailConfigured = () => Boolean(process.env.EMAIL_SERVER);
