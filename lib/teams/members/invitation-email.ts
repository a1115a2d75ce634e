import { oneLine } from "../../auth/input-text";
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
  // The inviter's name comes from their sign-in provider (and an older team's name was never checked): an outsider
  // reads this email, so neither may add lines of its own ("Accept here instead: <another link>").
  const [inviterName, team] = [oneLine(inviter), oneLine(teamName)];
  await tx.notification.create({
    data: {
      teamId,
      kind: "team_invitation",
      title: `${inviterName} invited you to ${team}`,
      body:
        `${inviterName} invited you to join ${team} on Creditdesk as ${roleGuide[role].label.toLowerCase()}.\n\n` +
        `Accept here, signed in as ${email} (the link works once, until ${expiresAt.toISOString()}):\n${link}\n\n` +
        "If you did not expect this, ignore this email: nothing happens unless you accept.",
      email,
    },
  });
}

/** Whether this installation sends email (EMAIL_SERVER): if not, the inviter is shown the link to pass on. */
export const emailConfigured = () => Boolean(process.env.EMAIL_SERVER);
