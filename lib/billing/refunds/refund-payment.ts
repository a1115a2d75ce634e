import type { Db } from "../../db/client";
import { requireText } from "../credit-lines/application-rules";
import { withoutDigitGroups } from "../amount-text";
import { currencyMinorDigits, formatMinorUnits } from "../currency";
import { BillingError } from "../errors";
import { adjustmentKey, assertNotMember } from "../adjustments/adjustment-rules";
import { refundableCents } from "../customers/get-customer";
import type { RefundGateway, RefundSnapshot } from "./refund-port";

/** An amount in the payment's currency as typed ("12.50", "1,000"; no more decimals than it has) → minor units. */
export function parseRefundAmount(value: unknown, currency: string): bigint | null {
  const s = typeof value === "string" ? withoutDigitGroups(value.trim()) : typeof value === "number" ? String(value) : "";
  if (s === "") return null;
  const digits = currencyMinorDigits(currency);
  const m = (digits === 0 ? /^(\d{1,12})$/ : new RegExp(`^(\\d{1,12})(?:\\.(\\d{1,${digits}}))?$`)).exec(s);
  if (!m) throw new BillingError("VALIDATION_FAILED", `Enter the amount to refund, like ${digits === 0 ? "1000" : "12.50"}.`, { field: "amount" });
  const minor = BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt((m[2] ?? "").padEnd(digits, "0") || "0");
  if (minor <= 0n) throw new BillingError("VALIDATION_FAILED", "The refund must be more than zero.", { field: "amount" });
  return minor;
}

/**
 * A platform admin who is not a member of the team refunds a paid payment through Stripe, in full (no amount) or in
 * part, with a reason. At most what is still refundable (the payment's amount less what Stripe's refunds took); a
 * disputed or unpaid payment cannot be. The credits are NOT touched here: Stripe's refund events (charge.refunded, refund.*) come back through
 * the webhook to recordMoneyFacts, as for any refund. Keyed by the form's key: a double submit refunds once, and
 * writes one audit row.
 */
export async function refundPayment({
  db,
  gateway,
  teamId,
  paymentId,
  adminUserId,
  input,
}: {
  db: Db;
  gateway: RefundGateway;
  teamId: string;
  paymentId: string;
  adminUserId: string;
  input: { amount?: unknown; reason: unknown; idempotencyKey: unknown };
}): Promise<{ refund: RefundSnapshot; duplicate: boolean }> {
  const reason = requireText(input.reason, "reason", "The reason");
  if (reason.length > 500) throw new BillingError("VALIDATION_FAILED", "The reason must be at most 500 characters.", { field: "reason" });
  const key = adjustmentKey(input.idempotencyKey);
  const payment = await db.payment.findFirst({ where: { id: paymentId, teamId } });
  if (!payment) throw new BillingError("NOT_FOUND", "That payment does not exist.");
  // Money back to their own team's card, for credits it may have spent: another admin decides, as for adjustments.
  await assertNotMember(db, adminUserId, teamId, "refund its payments");
  const left = refundableCents({ ...payment, stripeRef: payment.stripePaymentIntent !== null || payment.stripeCharge !== null });
  if (left === 0n) {
    const why =
      payment.status === "DISPUTED" ? "it is disputed" : payment.status === "REFUNDED" ? "it is already refunded in full" : "it was not paid through Stripe";
    throw new BillingError("CONFLICT", `This payment cannot be refunded: ${why}.`, { status: payment.status });
  }
  const amountCents = parseRefundAmount(input.amount, payment.currency) ?? left;
  if (amountCents > left) {
    throw new BillingError("VALIDATION_FAILED", `At most ${formatMinorUnits(left, payment.currency)} is left to refund on this payment.`, { field: "amount" });
  }
  const refund = await gateway.refundPayment({
    paymentIntentId: payment.stripePaymentIntent,
    chargeId: payment.stripeCharge,
    amountCents,
    reason,
    metadata: { payment_id: payment.id, team_id: teamId, admin_user_id: adminUserId },
    idempotencyKey: `admin-refund:${payment.id}:${key}`,
  });
  // One audit row per refund: the payment row lock orders a double submit, which gets the same refund back.
  const duplicate = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM payments WHERE id = ${payment.id} FOR UPDATE`;
    const seen = await tx.auditLog.findFirst({ where: { teamId, action: "payment.refunded_by_admin", targetId: refund.id }, select: { id: true } });
    if (seen) return true;
    await tx.auditLog.create({
      data: {
        teamId,
        actorUserId: adminUserId,
        action: "payment.refunded_by_admin",
        targetType: "refund",
        targetId: refund.id,
        data: {
          paymentId: payment.id,
          amountCents: refund.amountCents.toString(),
          currency: refund.currency,
          paidCents: payment.amountCents.toString(),
          refundedBeforeCents: payment.refundedCents.toString(),
          reason,
        },
      },
    });
    return false;
  });
  return { refund, duplicate };
}
