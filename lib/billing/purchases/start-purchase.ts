import type { Db } from "../../db/client";
import type { Payment } from "../../db/generated/client";
import { billingConfig, type BillingConfig } from "../config";
import { BillingError, isUniqueViolation } from "../errors";
import { assertCanBuyCredits } from "../plans/assert-can-buy-credits";
import { TOPUP_CURRENCY } from "../topups/payment-methods";
import { parsePurchase } from "./parse-purchase";

export type StartPurchaseInput = { bundle?: unknown; amount?: unknown; idempotencyKey: unknown };

/**
 * The first half of Buy Credit: checks the plan allows buying (Free does not: FORBIDDEN with reason FREE_PLAN), prices
 * the choice from configuration, and writes the PENDING PURCHASE payment the off-session charge is made for. One
 * idempotency key per purchase attempt: a retried request finds the same payment (created: false).
 */
export async function startPurchase({
  db,
  teamId,
  actorUserId,
  input,
  config = billingConfig(),
}: {
  db: Db;
  teamId: string;
  actorUserId: string | null;
  input: StartPurchaseInput;
  config?: BillingConfig;
}): Promise<{ payment: Payment; created: boolean; bundleId: string | null }> {
  const choice = parsePurchase(input, config);
  const key = input.idempotencyKey;
  if (typeof key !== "string" || !/^[A-Za-z0-9_:-]{8,100}$/.test(key)) {
    throw new BillingError("VALIDATION_FAILED", "idempotencyKey must be 8 to 100 letters, digits, -, _ or :", { field: "idempotencyKey" });
  }
  const idempotencyKey = `purchase:${key}`;
  await assertCanBuyCredits({ db, teamId });
  const same = (p: Payment) => {
    if (p.kind !== "PURCHASE" || p.amountCents !== choice.amountCents || p.credits !== choice.credits) {
      throw new BillingError("IDEMPOTENCY_MISMATCH", "This request repeats an earlier purchase with different details; start a new one.");
    }
    return { payment: p, created: false, bundleId: choice.bundleId };
  };
  const earlier = await db.payment.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey } } });
  if (earlier) return same(earlier);
  try {
    const payment = await db.payment.create({
      data: {
        teamId,
        kind: "PURCHASE",
        status: "PENDING",
        method: "card",
        amountCents: choice.amountCents,
        currency: TOPUP_CURRENCY,
        credits: choice.credits,
        idempotencyKey,
        createdByUserId: actorUserId,
      },
    });
    return { payment, created: true, bundleId: choice.bundleId };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const winner = await db.payment.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey } } });
    if (!winner) throw e;
    return same(winner);
  }
}
