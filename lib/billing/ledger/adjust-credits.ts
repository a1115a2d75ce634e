import type { Tx } from "../../db/client";
import type { CreditGrant, LedgerEntry } from "../../db/generated/client";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { creditCredits } from "./credit-credits";
import { takeCredits } from "./take-credits";

/**
 * An admin's correction with a reason: a positive amount adds credits (an ADJUSTMENT grant, never expiring unless
 * expiresAt is given), a negative one removes them like a clawback (not bound by the floor). Written to the
 * audit log in the same transaction.
 */
export async function adjustCredits({
  db,
  teamId,
  amount,
  reason,
  actorUserId,
  idempotencyKey,
  expiresAt,
}: {
  db: Tx;
  teamId: string;
  amount: bigint;
  reason: string;
  actorUserId: string;
  idempotencyKey: string;
  expiresAt?: Date | null;
}): Promise<{ entry: LedgerEntry; grant: CreditGrant | null; duplicate: boolean }> {
  if (typeof amount !== "bigint" || amount === 0n)
    throw new BillingError("VALIDATION_FAILED", "amount must be a non-zero whole number of credits", { field: "amount" });
  const why = reason?.trim() ?? "";
  if (why.length < 3 || why.length > 500) throw new BillingError("VALIDATION_FAILED", "reason must be 3 to 500 characters", { field: "reason" });
  return withTx(db, async (tx) => {
    const common = { db: tx, teamId, idempotencyKey, actorUserId, description: why, referenceType: "adjustment", referenceId: null };
    const result =
      amount > 0n
        ? await creditCredits({ ...common, amount, kind: "ADJUSTMENT", expiresAt: expiresAt === undefined ? undefined : expiresAt })
        : { ...(await takeCredits({ ...common, amount: -amount, kind: "ADJUSTMENT" })), grant: null };
    if (!result.duplicate) {
      // The team row is locked by the entry just written: its balance now, less the entry, was the balance before.
      const { balance } = await tx.team.findUniqueOrThrow({ where: { id: teamId }, select: { balance: true } });
      await tx.auditLog.create({
        data: {
          teamId,
          actorUserId,
          action: "credits.adjusted",
          targetType: "ledger_entry",
          targetId: result.entry.id,
          data: {
            amount: amount.toString(),
            reason: why,
            before: { balance: String(balance - result.entry.amount) },
            after: { balance: String(balance) },
          },
        },
      });
    }
    return { entry: result.entry, grant: result.grant, duplicate: result.duplicate };
  });
}
