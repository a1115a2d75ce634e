import { auditPaymentSucceeded } from "../payments/audit-payment";
import { z } from "zod";
import type { Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { applyRedemption } from "../coupons/apply-redemption";
import { releaseRedemption } from "../coupons/release-redemption";
import { creditCredits } from "../ledger/credit-credits";
import { formatCents } from "../money";
import { reconcilePaymentCredits } from "../payments/reconcile-payment-credits";
import { withTx } from "../with-tx";
import { paymentMethodWords } from "../words";
import type { CheckoutGateway, CheckoutSessionSnapshot } from "./checkout-session";
import { OUR_ID } from "../ids";

export type FulfilOutcome =
  /** Paid just now: the credits were added by this call. */
  | "credited"
  /** Paid earlier: the credits were already there (the webhook and the return page both call this). */
  | "already_credited"
  /** Checkout finished but the money has not arrived yet (methods that settle later). */
  | "pending"
  /** Checkout still open: nothing paid yet. */
  | "open"
  | "failed"
  | "expired"
  /** The payment was closed before (canceled, failed, expired): nothing to do. */
  | "closed"
  /** Stripe's session and our payment disagree (amount, currency, team): refused, logged, nothing credited. */
  | "mismatch"
  /** Not a session this installation made. */
  | "not_found";

export type FulfilResult = { outcome: FulfilOutcome; payment: Payment | null; creditedNow: bigint };

// Metadata comes back from Stripe but is only a cross-check: amounts and credits come from our payments row.
const metadataSchema = z.object({
  team_id: z.string().regex(OUR_ID),
  payment_id: z.string().regex(OUR_ID),
  credits: z
    .string()
    .regex(/^\d{1,30}$/)
    .optional(),
});

const lockPaymentBySession = (tx: Tx, sessionId: string) =>
  tx.$queryRaw<{ id: string }[]>`SELECT id FROM payments WHERE stripe_checkout_session = ${sessionId} FOR UPDATE`;

/**
 * Credits a paid top-up exactly once. Called by the webhook (checkout.session.completed and
 * async_payment_succeeded/failed, expired) and by the return page, in any order and any number of times: the
 * payment row is locked, a payment no longer PENDING is left alone, and the ledger keys (topup:, topup-bonus:,
 * coupon:) are unique per team. The session is read from Stripe (by the gateway) and must agree with our payment
 * on amount, currency, team and id; on any disagreement nothing is credited and the payment is marked failed.
 */
export async function fulfilCheckout(
  args: { db: Tx; asyncFailed?: boolean; now?: Date } & ({ session: CheckoutSessionSnapshot } | { sessionId: string; gateway: CheckoutGateway }),
): Promise<FulfilResult> {
  const snap = "session" in args ? args.session : await args.gateway.retrieveCheckoutSession(args.sessionId);
  const now = args.now ?? new Date();
  return withTx(args.db, async (tx) => {
    let locked = await lockPaymentBySession(tx, snap.id);
    const meta = metadataSchema.safeParse(snap.metadata ?? {});
    if (!locked[0] && meta.success) {
      // The session was made but its id was not saved (a crash between Stripe and us): adopt it by our payment id.
      await tx.$executeRaw`
        UPDATE payments SET stripe_checkout_session = ${snap.id}, updated_at = now()
        WHERE id = ${meta.data.payment_id} AND team_id = ${meta.data.team_id} AND kind = 'TOPUP' AND stripe_checkout_session IS NULL`;
      // Either we adopted it, or a concurrent call did while we waited on the row: look again either way.
      locked = await lockPaymentBySession(tx, snap.id);
    }
    const paymentId = locked[0]?.id;
    if (!paymentId) return { outcome: "not_found", payment: null, creditedNow: 0n };
    const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
    // Buy Credit and auto top-up settle from their PaymentIntent (settlePurchase), never through Checkout.
    if (payment.kind !== "TOPUP") return { outcome: "not_found", payment: null, creditedNow: 0n };

    const problems = disagreements(payment, snap, meta);
    if (problems.length > 0) {
      if (payment.status !== "PENDING") return { outcome: "closed", payment, creditedNow: 0n };
      console.error(`[creditdesk] checkout ${snap.id} does not match payment ${payment.id}: ${problems.join("; ")}; not credited`);
      const failed = await tx.payment.update({
        where: { id: payment.id },
        data: {
          status: "FAILED",
          failureMessage: "The payment details did not match this top-up, so no credits were added. Contact support with this payment's id.",
        },
      });
      await releaseRedemption({ db: tx, paymentId: payment.id });
      await tx.auditLog.create({
        data: { teamId: payment.teamId, action: "payment.mismatch", targetType: "payment", targetId: payment.id, data: { sessionId: snap.id, problems } },
      });
      return { outcome: "mismatch", payment: failed, creditedNow: 0n };
    }

    if (payment.status !== "PENDING") {
      const credited = payment.succeededAt !== null;
      return { outcome: credited ? "already_credited" : "closed", payment, creditedNow: 0n };
    }

    const pi = snap.paymentIntent;
    if (snap.status === "complete" && snap.paymentStatus === "paid") {
      const creditedNow = await creditTopUp(tx, payment);
      const succeeded = await tx.payment.update({
        where: { id: payment.id },
        data: {
          status: "SUCCEEDED",
          succeededAt: now,
          failureMessage: null,
          stripePaymentIntent: pi?.id ?? payment.stripePaymentIntent,
          stripeCharge: pi?.latestChargeId ?? payment.stripeCharge,
        },
      });
      await rememberCustomer(tx, payment.teamId, snap.customerId);
      await auditPaymentSucceeded(tx, succeeded, creditedNow, payment.status);
      // Refunds or disputes Stripe reported before we knew the payment was complete apply now.
      const settled = await reconcilePaymentCredits({ db: tx, payment: succeeded });
      return { outcome: "credited", payment: settled.payment, creditedNow };
    }

    if (snap.status === "expired") {
      const r = await closePending(tx, payment.id, "EXPIRED", "The checkout expired before it was paid.");
      return { outcome: "expired", payment: r, creditedNow: 0n };
    }

    if (snap.status === "complete") {
      const settledAsFailed = pi !== null && (pi.status === "requires_payment_method" || pi.status === "canceled");
      if (args.asyncFailed || settledAsFailed) {
        const r = await closePending(tx, payment.id, "FAILED", pi?.lastErrorMessage ?? "The payment did not go through.", pi);
        return { outcome: "failed", payment: r, creditedNow: 0n };
      }
      const waiting = await tx.payment.update({
        where: { id: payment.id },
        data: { stripePaymentIntent: pi?.id ?? payment.stripePaymentIntent, stripeCharge: pi?.latestChargeId ?? payment.stripeCharge },
      });
      return { outcome: "pending", payment: waiting, creditedNow: 0n };
    }

    // Still open: a declined attempt can be retried in the same checkout, so only remember why.
    if (pi?.lastErrorMessage && pi.lastErrorMessage !== payment.failureMessage) {
      const noted = await tx.payment.update({ where: { id: payment.id }, data: { failureMessage: pi.lastErrorMessage } });
      return { outcome: "open", payment: noted, creditedNow: 0n };
    }
    return { outcome: "open", payment, creditedNow: 0n };
  });
}

function disagreements(payment: Payment, snap: CheckoutSessionSnapshot, meta: ReturnType<typeof metadataSchema.safeParse>): string[] {
  const problems: string[] = [];
  if (snap.mode !== "payment") problems.push(`mode is ${snap.mode}`);
  if (snap.amountTotal === null || BigInt(snap.amountTotal) !== payment.amountCents)
    problems.push(`amount_total ${snap.amountTotal} != ${payment.amountCents}`);
  if ((snap.currency ?? "").toLowerCase() !== payment.currency) problems.push(`currency ${snap.currency} != ${payment.currency}`);
  if (!meta.success) problems.push("metadata missing or malformed");
  else {
    if (meta.data.team_id !== payment.teamId) problems.push(`metadata team ${meta.data.team_id} != ${payment.teamId}`);
    if (meta.data.payment_id !== payment.id) problems.push(`metadata payment ${meta.data.payment_id} != ${payment.id}`);
    if (meta.data.credits !== undefined && meta.data.credits !== payment.credits.toString())
      problems.push(`metadata credits ${meta.data.credits} != ${payment.credits}`);
  }
  if (snap.clientReferenceId !== null && snap.clientReferenceId !== payment.id) problems.push(`client_reference_id ${snap.clientReferenceId} != ${payment.id}`);
  return problems;
}

/** TOPUP for the bought credits, PROMO_BONUS for the coupon's percentage, COUPON for its outright grant. */
async function creditTopUp(tx: Tx, payment: Payment): Promise<bigint> {
  const common = {
    db: tx,
    teamId: payment.teamId,
    paymentId: payment.id,
    actorUserId: payment.createdByUserId,
    referenceType: "payment",
    referenceId: payment.id,
  };
  let total = 0n;
  const bought = await creditCredits({
    ...common,
    amount: payment.credits,
    kind: "TOPUP",
    idempotencyKey: `topup:${payment.id}`,
    description: `Top-up ${formatCents(payment.amountCents, payment.currency)} (${paymentMethodWords(payment.method)})`,
  });
  if (!bought.duplicate) total += payment.credits;
  const redemption = payment.couponId ? await applyRedemption({ db: tx, paymentId: payment.id }) : null;
  if (payment.couponId && redemption?.status !== "APPLIED") {
    console.error(`[creditdesk] payment ${payment.id}: coupon use was ${redemption?.status ?? "missing"}; its extra credits are not added`);
    return total;
  }
  if (payment.bonusCredits > 0n) {
    const bonus = await creditCredits({
      ...common,
      amount: payment.bonusCredits,
      kind: "PROMO_BONUS",
      idempotencyKey: `topup-bonus:${payment.id}`,
      description: "Top-up bonus from a promo code",
    });
    if (!bonus.duplicate) total += payment.bonusCredits;
  }
  if (redemption && redemption.creditsGranted > 0n) {
    const granted = await creditCredits({
      ...common,
      amount: redemption.creditsGranted,
      kind: "COUPON",
      idempotencyKey: `coupon:${redemption.id}`,
      referenceType: "coupon_redemption",
      referenceId: redemption.id,
      description: "Coupon credits with a top-up",
    });
    if (!granted.duplicate) total += redemption.creditsGranted;
  }
  return total;
}

async function closePending(
  tx: Tx,
  paymentId: string,
  status: "EXPIRED" | "FAILED",
  failureMessage: string,
  pi?: CheckoutSessionSnapshot["paymentIntent"],
): Promise<Payment> {
  await releaseRedemption({ db: tx, paymentId });
  return tx.payment.update({
    where: { id: paymentId },
    data: { status, failureMessage, ...(pi ? { stripePaymentIntent: pi.id, stripeCharge: pi.latestChargeId ?? undefined } : {}) },
  });
}

/** The first Stripe customer a team pays with becomes its customer (invoices and saved methods hang off it). */
async function rememberCustomer(tx: Tx, teamId: string, customerId: string | null): Promise<void> {
  if (!customerId) return;
  const taken = await tx.team.findFirst({ where: { stripeCustomerId: customerId }, select: { id: true } });
  if (taken) return;
  await tx.team.updateMany({ where: { id: teamId, stripeCustomerId: null }, data: { stripeCustomerId: customerId } });
}
