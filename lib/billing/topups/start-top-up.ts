import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import type { PaymentMethod } from "../config";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError, isUniqueViolation } from "../errors";
import { centsToCredits } from "../money";
import { normalizeCouponCode } from "../coupons/code";
import { withCouponAttempt } from "../coupons/rate-limit";
import { reserveRedemption } from "../coupons/reserve-redemption";
import { assertTopUpMethod, TOPUP_CURRENCY } from "./payment-methods";
import { parseTopUpAmount } from "./parse-top-up-amount";

export type StartTopUpInput = {
  /** Dollars as typed: "25", "25.50". */
  amount: unknown;
  method: unknown;
  coupon?: string | null;
  /** Sent again by a retried request so one click makes one payment. */
  idempotencyKey?: string | null;
};

export type StartedTopUp = {
  payment: Payment;
  method: PaymentMethod;
  /** Outright credits from the coupon, credited with the payment. */
  couponCredits: bigint;
  couponEffect: string | null;
  /** false when the idempotency key found an earlier payment. */
  created: boolean;
};

/**
 * The first half of a top-up: validates amount and method, prices it from configuration (never from the browser),
 * holds the coupon, and writes the PENDING payment the Checkout Session is then created for. Nothing is credited
 * until fulfilCheckout sees the money.
 */
export async function startTopUp({
  db,
  teamId,
  actorUserId,
  input,
  config = billingConfig(),
}: {
  db: Db;
  teamId: string;
  actorUserId: string | null;
  input: StartTopUpInput;
  config?: BillingConfig;
}): Promise<StartedTopUp> {
  const amountCents = parseTopUpAmount(input.amount, config);
  const method = assertTopUpMethod(input.method, { config });
  const rawCoupon = typeof input.coupon === "string" && input.coupon.trim() !== "" ? input.coupon : null;
  const couponCode = rawCoupon === null ? null : normalizeCouponCode(rawCoupon);
  const idempotencyKey = input.idempotencyKey ?? randomUUID();
  if (typeof idempotencyKey !== "string" || !/^[A-Za-z0-9_:-]{8,100}$/.test(idempotencyKey)) {
    throw new BillingError("VALIDATION_FAILED", "idempotencyKey must be 8 to 100 letters, digits, -, _ or :", { field: "idempotencyKey" });
  }
  const credits = centsToCredits(amountCents, config.creditsPerDollar);

  const earlier = await db.payment.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey } }, include: { coupon: true } });
  if (earlier) return sameRequest(earlier, { amountCents, method, couponCode });

  // A code is looked at only within the team's wrong-code limit; a top-up without one is not limited.
  const create = async (tx: Tx): Promise<StartedTopUp> => {
    let payment = await tx.payment.create({
      data: { teamId, kind: "TOPUP", status: "PENDING", method, amountCents, currency: TOPUP_CURRENCY, credits, idempotencyKey, createdByUserId: actorUserId },
    });
    let couponCredits = 0n;
    let couponEffect: string | null = null;
    if (rawCoupon !== null) {
      const held = await reserveRedemption({ db: tx, teamId, code: rawCoupon, paymentId: payment.id, amountCents, baseCredits: credits });
      payment = await tx.payment.update({ where: { id: payment.id }, data: { couponId: held.coupon.id, bonusCredits: held.bonusCredits } });
      couponCredits = held.grantCredits;
      couponEffect = held.effect;
    }
    return { payment, method, couponCredits, couponEffect, created: true };
  };
  try {
    return await (rawCoupon === null ? db.$transaction(create) : withCouponAttempt({ db, teamId }, create));
  } catch (e) {
    if (isUniqueViolation(e)) {
      const winner = await db.payment.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey } }, include: { coupon: true } });
      if (winner) return sameRequest(winner, { amountCents, method, couponCode });
    }
    throw e;
  }
}

function sameRequest(
  p: Payment & { coupon: { code: string; grantCredits: bigint } | null },
  want: { amountCents: bigint; method: PaymentMethod; couponCode: string | null },
): StartedTopUp {
  if (p.kind !== "TOPUP" || p.amountCents !== want.amountCents || p.method !== want.method || (p.coupon?.code ?? null) !== want.couponCode) {
    throw new BillingError("IDEMPOTENCY_MISMATCH", "This request repeats an earlier top-up with different details; start a new one.");
  }
  return { payment: p, method: want.method, couponCredits: p.coupon?.grantCredits ?? 0n, couponEffect: null, created: false };
}
