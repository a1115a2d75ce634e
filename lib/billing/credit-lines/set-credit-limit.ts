import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { centsToCredits } from "../money";
import { closeTeamDraw } from "../statements/close-team-draw";
import { syncOverageAllowance } from "../statements/overage-allowance";
import { emitCreditLineUpdated } from "../webhooks/billing-events";
import { withTx } from "../with-tx";

/**
 * Sets a team's approved monthly credit line (0 removes it): the balance may then be spent down to minus the limit
 * in credits, never further. Lowering the limit below what is drawn is allowed; spending stops until repaid.
 * Locks the team row, so it orders with debits. Audit-logged.
 */
export async function setCreditLimit({
  db,
  teamId,
  limitCents,
  actorUserId,
  reason,
  applicationId,
}: {
  db: Tx;
  teamId: string;
  limitCents: bigint;
  actorUserId?: string | null;
  reason?: string | null;
  applicationId?: string | null;
}): Promise<{ creditLimitCents: bigint; creditLimitCredits: bigint; previousCents: bigint }> {
  if (typeof limitCents !== "bigint" || limitCents < 0n || limitCents > 100_000_000_00n) {
    throw new BillingError("VALIDATION_FAILED", "limitCents must be from 0 to 10,000,000,000 cents", { field: "limitCents" });
  }
  const creditLimitCredits = centsToCredits(limitCents);
  return withTx(db, async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ credit_limit_cents: bigint }[]>(`SELECT credit_limit_cents FROM teams WHERE id = $1 FOR UPDATE`, teamId);
    const previous = locked[0];
    if (!previous) throw new BillingError("NOT_FOUND", "That team does not exist.");
    // Granting or removing a credit line changes how the team draws (and at which rate it is billed): what is drawn so
    // far is closed now, as what it was drawn on, so it is neither billed at the other rate nor left with no kind to bill.
    if (BigInt(previous.credit_limit_cents) > 0n !== limitCents > 0n) await closeTeamDraw({ db: tx, teamId, closesAt: new Date() });
    await tx.team.update({ where: { id: teamId }, data: { creditLimitCents: limitCents, creditLimitCredits } });
    // A credit line replaces the overage allowance (and closing it gives a paid plan's allowance back).
    await syncOverageAllowance({ db: tx, teamId });
    const audit = await tx.auditLog.create({
      data: {
        teamId,
        actorUserId: actorUserId ?? null,
        action: "credit_line.limit_set",
        targetType: "team",
        targetId: teamId,
        data: {
          fromCents: String(previous.credit_limit_cents),
          toCents: String(limitCents),
          credits: String(creditLimitCredits),
          reason: reason ?? null,
          applicationId: applicationId ?? null,
        },
      },
    });
    await emitCreditLineUpdated(tx, { teamId, change: "limit_set", changeId: audit.id, reason, applicationId });
    return { creditLimitCents: limitCents, creditLimitCredits, previousCents: BigInt(previous.credit_limit_cents) };
  });
}
