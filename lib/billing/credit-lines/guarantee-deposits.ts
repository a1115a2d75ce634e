import type { Tx } from "../../db/client";
import type { CreditLineApplication } from "../../db/generated/client";

// A guarantee is paid as ordinary top-ups through Checkout, marked by their idempotency key. Their credits land on the
// balance and are spendable like any prepaid credits (they are spent before the line is drawn); closing the line
// neither takes them back nor refunds them. A refunded or disputed deposit no longer counts.

export const guaranteeKeyPrefix = (applicationId: string) => `gdep:${applicationId}:`;

/** Cents paid towards this application's guarantee, and the latest such payment. */
export async function guaranteePaid(tx: Tx, app: Pick<CreditLineApplication, "id" | "teamId">): Promise<{ paidCents: bigint; lastPaymentId: string | null }> {
  const payments = await tx.payment.findMany({
    where: { teamId: app.teamId, status: "SUCCEEDED", idempotencyKey: { startsWith: guaranteeKeyPrefix(app.id) } },
    orderBy: { createdAt: "asc" },
    select: { id: true, amountCents: true },
  });
  return { paidCents: payments.reduce((sum, p) => sum + p.amountCents, 0n), lastPaymentId: payments.at(-1)?.id ?? null };
}

/** The deposit an approval at `limitCents` needs: that amount at or above the threshold ("that level of credit"), else none. */
export const guaranteeNeeded = (limitCents: bigint, thresholdCents: bigint) => (limitCents >= thresholdCents ? limitCents : 0n);
