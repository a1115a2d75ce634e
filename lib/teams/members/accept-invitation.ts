import { BillingError } from "../../billing/errors";
import type { Db, Tx } from "../../db/client";
import type { TeamRole } from "../../db/generated/enums";
import { INVITATION_EXPIRED, readInvitationToken } from "./invitation-link";
import { foldEmail } from "../../auth/input-text";
import { lockTeam, senderMayStillInvite } from "./member-rules";

export type SignedInUser = { id: string; email: string | null };
export type InvitationPreview = { teamName: string; teamSlug: string; role: TeamRole; email: string; invitedBy: string | null; expiresAt: Date };

const USED = () => new BillingError("CONFLICT", "This invitation link was already used, revoked, or replaced by a newer one. Nothing was changed.");

/** The invitation a link names, if this person may accept it now: each refusal says why, and changes nothing. */
async function usableInvitation(db: Db | Tx, token: unknown, user: SignedInUser, now: Date) {
  const link = readInvitationToken(token, now);
  const inv = await db.teamInvitation.findUnique({
    where: { tokenHash: link.tokenHash },
    include: { team: { select: { id: true, name: true, slug: true } } },
  });
  if (!inv || inv.teamId !== link.teamId || inv.acceptedAt || inv.revokedAt) throw USED();
  if (inv.expiresAt <= now) throw INVITATION_EXPIRED();
  // An invitation is its sender's word: it stands only while they could still send it. An admin removed (who invited
  // another address of theirs on the way out) or an owner demoted cannot come back through a link sent before.
  const sender = inv.invitedByUserId
    ? await db.membership.findUnique({ where: { teamId_userId: { teamId: inv.teamId, userId: inv.invitedByUserId } }, select: { userId: true, role: true } })
    : null;
  if (!senderMayStillInvite(sender, inv.teamId, inv.role)) {
    throw new BillingError(
      "CONFLICT",
      `This invitation no longer stands: whoever sent it can no longer invite ${inv.role.toLowerCase()}s to ${inv.team.name}. Ask an owner or admin to invite you again. Nothing was changed.`,
    );
  }
  // The account's address exactly, but for the case of its ASCII letters: no trimming or Unicode folding makes another
  // address (" kate@…", "kate@…\u00a0", "\u212Aate@…") the invited one.
  if (!user.email || foldEmail(user.email) !== inv.email) {
    throw new BillingError(
      "FORBIDDEN",
      `This invitation is for ${inv.email}, and you are signed in as ${user.email ?? "an account without an email address"}. Sign out and sign in as ${inv.email} to accept it.`,
    );
  }
  return inv;
}

/** What the invitation page shows before the person accepts (opening the link changes nothing: mail scanners open links). */
export async function previewInvitation({
  db,
  token,
  user,
  now = new Date(),
}: {
  db: Db;
  token: unknown;
  user: SignedInUser;
  now?: Date;
}): Promise<InvitationPreview> {
  const inv = await usableInvitation(db, token, user, now);
  const inviter = inv.invitedByUserId ? await db.user.findUnique({ where: { id: inv.invitedByUserId }, select: { name: true, email: true } }) : null;
  return {
    teamName: inv.team.name,
    teamSlug: inv.team.slug,
    role: inv.role,
    email: inv.email,
    invitedBy: inviter?.name ?? inviter?.email ?? null,
    expiresAt: inv.expiresAt,
  };
}

/**
 * The signed-in person joins the team with the invited role. Only the invited address may accept; a link works
 * once (the team's row lock orders two tabs accepting at once: the second finds it used). The team becomes the one
 * they land on. Audit-logged (invitation.accepted).
 */
export async function acceptInvitation({
  db,
  token,
  user,
  now = new Date(),
}: {
  db: Db;
  token: unknown;
  user: SignedInUser;
  now?: Date;
}): Promise<{ teamSlug: string }> {
  const first = await usableInvitation(db, token, user, now);
  return db.$transaction(async (tx) => {
    await lockTeam(tx, first.teamId);
    const inv = await usableInvitation(tx, token, user, now);
    const already = await tx.membership.findUnique({ where: { teamId_userId: { teamId: inv.teamId, userId: user.id } }, select: { id: true } });
    if (already) throw new BillingError("CONFLICT", `You are already a member of ${inv.team.name}. Nothing was changed.`);
    const membership = await tx.membership.create({ data: { teamId: inv.teamId, userId: user.id, role: inv.role } });
    await tx.teamInvitation.update({ where: { id: inv.id }, data: { acceptedAt: now, acceptedByUserId: user.id } });
    await tx.user.update({ where: { id: user.id }, data: { lastTeamId: inv.teamId } });
    await tx.auditLog.create({
      data: {
        teamId: inv.teamId,
        actorUserId: user.id,
        action: "invitation.accepted",
        targetType: "membership",
        targetId: membership.id,
        data: { invitationId: inv.id, email: inv.email, role: inv.role },
      },
    });
    return { teamSlug: inv.team.slug };
  });
}
