import { makeSignedLink, readSignedLink } from "../../auth/signed-link";
import { BillingError } from "../../billing/errors";

// An invitation link: "<app>/invite?token=<team id>.<expiry>.<nonce>.<signature>" (lib/auth/signed-link.ts). The
// invitation row is found by sha256(nonce) (unique), so a resend, which replaces it, kills the older link.

export const INVITATION_DAYS = 7;
const PURPOSE = "team-invitation";

function secret(): string {
  const s = process.env.AUTH_SECRET;
  if (!s) throw new Error("AUTH_SECRET must be set to sign team invitation links");
  return s;
}

export function newInvitationLink(teamId: string, appUrl: string, now: Date): { link: string; tokenHash: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
  const { token, nonceHash } = makeSignedLink(secret(), PURPOSE, teamId, expiresAt);
  return { link: `${appUrl.replace(/\/+$/, "")}/invite?token=${encodeURIComponent(token)}`, tokenHash: nonceHash, expiresAt };
}

export const INVITATION_EXPIRED = () =>
  new BillingError("VALIDATION_FAILED", "This invitation has expired (invitations last 7 days). Ask the team's owner or an admin to send a new one.", {
    field: "token",
  });

/** The team and nonce hash a well-formed, unexpired link names; VALIDATION_FAILED otherwise. */
export function readInvitationToken(token: unknown, now: Date): { teamId: string; tokenHash: string } {
  const link = readSignedLink(secret(), PURPOSE, token, now);
  if (link.ok) return { teamId: link.id, tokenHash: link.nonceHash };
  if (link.reason === "expired") throw INVITATION_EXPIRED();
  throw new BillingError("VALIDATION_FAILED", "This invitation link is not valid. Open the link from the email exactly as it was sent.", { field: "token" });
}
