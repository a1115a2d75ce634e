import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { billingConfig } from "../config";
import { centsToCredits } from "../money";
import { TOPUP_CURRENCY } from "../topups/payment-methods";
import { withTx } from "../with-tx";
import { startOfUtcMonth } from "../dates";

/**
 * Takes the team's one auto top-up slot when it is due: enabled, nothing in flight, the balance below the threshold
 * and fewer than max_per_month charges this UTC month. The settings row is locked first; the checks then read with a
 * fresh snapshot (read committed), so a caller that waited sees the winner's in-flight payment or its credits, and
 * exactly one of any number of concurrent callers claims. Writes the PENDING AUTO_TOPUP payment and sets
 * in_flight_payment_id to it. Returns that payment, or null when not due.
 */
export async function claimAutoTopUp({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<Payment | null> {
  const monthStart = startOfUtcMonth(now);
  return withTx(db, async (tx) => {
    const settings = await tx.$queryRaw<{ enabled: boolean; in_flight_payment_id: string | null; amount_cents: bigint }[]>`
      SELECT enabled, in_flight_payment_id, amount_cents FROM auto_top_ups WHERE team_id = ${teamId} FOR UPDATE`;
    const s = settings[0];
    if (!s || !s.enabled || s.in_flight_payment_id !== null) return null;
    const due = await tx.$queryRaw<{ due: boolean }[]>`
      SELECT (t.balance < a.threshold_credits
              AND (SELECT count(*) FROM payments p
                    WHERE p.team_id = a.team_id AND p.kind = 'AUTO_TOPUP' AND p.created_at >= ${monthStart}
                      AND p.status NOT IN ('FAILED', 'CANCELED', 'EXPIRED')) < a.max_per_month) AS due
        FROM auto_top_ups a JOIN teams t ON t.id = a.team_id WHERE a.team_id = ${teamId}`;
    if (!due[0]?.due) return null;
    const amountCents = BigInt(s.amount_cents);
    const payment = await tx.payment.create({
      data: {
        teamId,
        kind: "AUTO_TOPUP",
        status: "PENDING",
        method: "card",
        amountCents,
        currency: TOPUP_CURRENCY,
        credits: centsToCredits(amountCents, billingConfig().creditsPerDollar),
        idempotencyKey: `auto-topup:${now.getTime()}:${Math.random().toString(36).slice(2, 10)}`,
      },
    });
    await tx.autoTopUp.update({ where: { teamId }, data: { inFlightPaymentId: payment.id, lastTriggeredAt: now } });
    return payment;
  });
}
