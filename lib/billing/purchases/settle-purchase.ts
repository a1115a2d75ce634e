import { auditPaymentSucceeded } from "../payments/audit-payment";
import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { recordAutoTopUpFailure } from "../auto-top-up/record-auto-top-up-failure";
import { creditCredits } from "../ledger/credit-credits";
import { formatCents } from "../money";
import { reconcilePaymentCredits } from "../payments/reconcile-payment-credits";
import { withTx } from "../with-tx";
import type { PaymentIntentSnapshot } from "./payment-intent";
import { OUR_ID } from "../ids";

export type SettleOutcome =
  /** Paid just now: the credits were added by this call. */
  | "credited"
  /** Paid earlier: the credits were already there (the charge, the return page and the webhook all call this). */
  | "already_credited"
  /** The card needs the customer to authenticate (3-D Secure) before it can be charged. */
  | "requires_action"
  | "pending"
  | "failed"
  /** The payment was closed before: nothing to do. */
  | "closed"
  /** Stripe's PaymentIntent and our payment disagree (amount, currency, team): refused, nothing credited. */
  | "mismatch"
  /** Not a Buy Credit or auto top-up payment of this installation. */
  | "not_found";

export type SettleResult = { outcome: SettleOutcome; payment: Payment | null; creditedNow: bigint };

const AUTH_MESSAGE = "Your bank asks you to confirm this charge (3-D Secure).";
const AUTO_AUTH_MESSAGE = "The card needs you to confirm each charge (3-D Secure), which cannot happen while you are away.";

const lockByIntent = (tx: Tx, id: string) => tx.$queryRaw<{ id: string }[]>`SELECT id FROM payments WHERE stripe_payment_intent = ${id} FOR UPDATE`;

/**
 * Settles a Buy Credit (PURCHASE) or auto top-up (AUTO_TOPUP) payment from its PaymentIntent, exactly once: called
 * after the off-session charge, by the return page after 3-D Secure and by the payment_intent.* webhooks, in any order.
 * The payment row is locked; a payment no longer PENDING is left alone; the ledger key (purchase:<id> or
 * auto-topup:<id>) is unique per team. An auto top-up that fails turns auto top-up off and tells the owners.
 */
export async function settlePurchase({ db, intent, now = new Date() }: { db: Tx; intent: PaymentIntentSnapshot; now?: Date }): Promise<SettleResult> {
  return withTx(db, async (tx) => {
    let locked = await lockByIntent(tx, intent.id);
    const metaPayment = intent.metadata.payment_id;
    const metaTeam = intent.metadata.team_id;
    // Metadata came back from Stripe: only ids of our own shape are looked up.
    const ourShape = (v: string | undefined) => v !== undefined && OUR_ID.test(v);
    if (!locked[0] && ourShape(metaPayment) && ourShape(metaTeam)) {
      // The intent was made but its id was not saved (a crash between Stripe and us): adopt it by our payment id.
      await tx.$executeRaw`
        UPDATE payments SET stripe_payment_intent = ${intent.id}, updated_at = now()
         WHERE id = ${metaPayment} AND team_id = ${metaTeam} AND stripe_payment_intent IS NULL AND kind IN ('PURCHASE', 'AUTO_TOPUP')`;
      // Either we adopted it, or a concurrent call did while we waited on the row: look again either way.
      locked = await lockByIntent(tx, intent.id);
    }
    const id = locked[0]?.id;
    if (!id) return { outcome: "not_found", payment: null, creditedNow: 0n };
    const payment = await tx.payment.findUniqueOrThrow({ where: { id } });
    if (payment.kind === "TOPUP") return { outcome: "not_found", payment: null, creditedNow: 0n };

    const problems: string[] = [];
    if (BigInt(intent.amount) !== payment.amountCents) problems.push(`amount ${intent.amount} != ${payment.amountCents}`);
    if (intent.currency.toLowerCase() !== payment.currency) problems.push(`currency ${intent.currency} != ${payment.currency}`);
    if (metaTeam && metaTeam !== payment.teamId) problems.push(`metadata team ${metaTeam} != ${payment.teamId}`);
    if (metaPayment && metaPayment !== payment.id) problems.push(`metadata payment ${metaPayment} != ${payment.id}`);
    if (problems.length > 0) {
      if (payment.status !== "PENDING") return { outcome: "closed", payment, creditedNow: 0n };
      console.error(`[creditdesk] payment intent ${intent.id} does not match payment ${payment.id}: ${problems.join("; ")}; not credited`);
      const failed = await tx.payment.update({
        where: { id: payment.id },
        data: {
          status: "FAILED",
          failureMessage: "The payment details did not match this purchase, so no credits were added. Contact support with this payment's id.",
        },
      });
      await tx.auditLog.create({
        data: {
          teamId: payment.teamId,
          action: "payment.mismatch",
          targetType: "payment",
          targetId: payment.id,
          data: { paymentIntentId: intent.id, problems },
        },
      });
      if (payment.kind === "AUTO_TOPUP")
        await recordAutoTopUpFailure({ db: tx, teamId: payment.teamId, paymentId: payment.id, reason: "The charge did not match the auto top-up." });
      return { outcome: "mismatch", payment: failed, creditedNow: 0n };
    }

    // Money received wins: a charge we gave up on (its reply lost, the payment closed as failed) that Stripe reports
    // as succeeded is still credited, once.
    const lateSuccess = intent.status === "succeeded" && (payment.status === "FAILED" || payment.status === "CANCELED");
    if (payment.status !== "PENDING" && !lateSuccess) return { outcome: payment.succeededAt ? "already_credited" : "closed", payment, creditedNow: 0n };
    if (lateSuccess) {
      await tx.auditLog.create({
        data: {
          teamId: payment.teamId,
          action: "payment.late_success",
          targetType: "payment",
          targetId: payment.id,
          data: { paymentIntentId: intent.id, was: payment.status },
        },
      });
    }

    if (intent.status === "succeeded") {
      const auto = payment.kind === "AUTO_TOPUP";
      const credited = await creditCredits({
        db: tx,
        teamId: payment.teamId,
        amount: payment.credits,
        kind: auto ? "AUTO_TOPUP" : "PURCHASE",
        idempotencyKey: `${auto ? "auto-topup" : "purchase"}:${payment.id}`,
        paymentId: payment.id,
        actorUserId: payment.createdByUserId,
        referenceType: "payment",
        referenceId: payment.id,
        description: `${auto ? "Auto top-up" : "Bought credits"} ${formatCents(payment.amountCents, payment.currency)} (saved card)`,
      });
      const succeeded = await tx.payment.update({
        where: { id: payment.id },
        data: {
          status: "SUCCEEDED",
          succeededAt: now,
          failureMessage: null,
          stripePaymentIntent: intent.id,
          stripeCharge: intent.latestChargeId ?? payment.stripeCharge,
        },
      });
      if (!credited.duplicate) await auditPaymentSucceeded(tx, succeeded, payment.credits, payment.status);
      if (auto) {
        await tx.$executeRaw`UPDATE auto_top_ups SET in_flight_payment_id = NULL, failure_count = 0, updated_at = now() WHERE team_id = ${payment.teamId} AND in_flight_payment_id = ${payment.id}`;
      }
      // Refunds or disputes Stripe reported before the payment settled apply now.
      const settled = await reconcilePaymentCredits({ db: tx, payment: succeeded });
      return { outcome: "credited", payment: settled.payment, creditedNow: credited.duplicate ? 0n : payment.credits };
    }

    if (intent.status === "processing") {
      const waiting = await tx.payment.update({
        where: { id: payment.id },
        data: { stripePaymentIntent: intent.id, stripeCharge: intent.latestChargeId ?? payment.stripeCharge },
      });
      return { outcome: "pending", payment: waiting, creditedNow: 0n };
    }

    const needsAuth = intent.status === "requires_action" || intent.lastErrorCode === "authentication_required";
    if (needsAuth && payment.kind === "PURCHASE" && intent.status !== "canceled") {
      const waiting = await tx.payment.update({ where: { id: payment.id }, data: { stripePaymentIntent: intent.id, failureMessage: AUTH_MESSAGE } });
      return { outcome: "requires_action", payment: waiting, creditedNow: 0n };
    }

    if (intent.status === "requires_payment_method" || intent.status === "canceled" || needsAuth) {
      const message = needsAuth && payment.kind === "AUTO_TOPUP" ? AUTO_AUTH_MESSAGE : (intent.lastErrorMessage ?? "The card was not charged.");
      const failed = await tx.payment.update({
        where: { id: payment.id },
        data: {
          status: "FAILED",
          failureMessage: message.slice(0, 500),
          stripePaymentIntent: intent.id,
          stripeCharge: intent.latestChargeId ?? payment.stripeCharge,
        },
      });
      if (payment.kind === "AUTO_TOPUP") await recordAutoTopUpFailure({ db: tx, teamId: payment.teamId, paymentId: payment.id, reason: message });
      return { outcome: "failed", payment: failed, creditedNow: 0n };
    }
    // requires_confirmation: the charge was never attempted; nothing to settle yet.
    return { outcome: "pending", payment, creditedNow: 0n };
  });
}
