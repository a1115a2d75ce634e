import { BillingError } from "../../billing/errors";
import type { Tx } from "../../db/client";

/** An invitation of this team not yet accepted or revoked (expired ones may still be resent or revoked). */
export async function openInvitation(tx: Tx, teamId: string, invitationId: string) {
  const row = await tx.teamInvitation.findFirst({ where: { id: invitationId, teamId } });
  if (!row) throw new BillingError("NOT_FOUND", "No such invitation in this team.");
  if (row.acceptedAt) throw new BillingError("CONFLICT", "This invitation was already accepted.");
  if (row.revokedAt) throw new BillingError("CONFLICT", "This invitation was already revoked.");
  return row;
}
