import type { Tx } from "../../db/client";
import { withoutDigitGroups } from "../amount-text";
import { billingConfig } from "../config";
import { BillingError } from "../errors";
import { formatCents, parseUsdToCents } from "../money";
import { assertCanBuyCredits } from "../plans/assert-can-buy-credits";
import { withTx } from "../with-tx";
import { type AutoTopUpView, getAutoTopUp } from "./get-auto-top-up";

export type AutoTopUpInput = {
  enabled: boolean;
  /** Credits, as typed ("1000000"). */
  threshold: string;
  /** Dollars, as typed ("50" or "50.00"). */
  amount: string;
  maxPerMonth: number;
};

const MAX_THRESHOLD = 1_000_000_000_000_000n;

/**
 * Sets a team's auto top-up: when the balance falls below `threshold` credits, charge the saved card `amount`, at most
 * `maxPerMonth` times a UTC month. Turning it on needs a plan that can buy credits and clears an earlier failure.
 * Locks the row; audit-logged with the settings before and after. The caller checks the saved card exists.
 */
export async function setAutoTopUp({
  db,
  teamId,
  actorUserId,
  input,
}: {
  db: Tx;
  teamId: string;
  actorUserId: string | null;
  input: AutoTopUpInput;
}): Promise<AutoTopUpView> {
  const config = billingConfig();
  if (typeof input.enabled !== "boolean") throw new BillingError("VALIDATION_FAILED", "enabled must be true or false", { field: "enabled" });
  if (typeof input.threshold !== "string" || !/^\d{1,19}$/.test(withoutDigitGroups(input.threshold.trim()))) {
    throw new BillingError("VALIDATION_FAILED", "Enter the threshold as a whole number of credits, like 1000000.", { field: "threshold" });
  }
  const thresholdCredits = BigInt(withoutDigitGroups(input.threshold.trim()));
  if (thresholdCredits < 1n || thresholdCredits > MAX_THRESHOLD)
    throw new BillingError("VALIDATION_FAILED", "The threshold must be at least 1 credit and at most 10^18.", { field: "threshold" });
  let amountCents: bigint;
  try {
    amountCents = parseUsdToCents(typeof input.amount === "string" ? input.amount : "", "amount");
  } catch {
    throw new BillingError("VALIDATION_FAILED", "Enter the top-up amount in dollars with at most two decimals, like 50 or 50.00.", { field: "amount" });
  }
  if (amountCents < config.topUpMinCents || amountCents > config.topUpMaxCents) {
    throw new BillingError(
      "VALIDATION_FAILED",
      `The top-up amount must be from ${formatCents(config.topUpMinCents)} to ${formatCents(config.topUpMaxCents)}.`,
      { field: "amount" },
    );
  }
  if (!Number.isInteger(input.maxPerMonth) || input.maxPerMonth < 1 || input.maxPerMonth > 31) {
    throw new BillingError("VALIDATION_FAILED", "Allow from 1 to 31 automatic top-ups a month.", { field: "maxPerMonth" });
  }
  if (input.enabled) await assertCanBuyCredits({ db, teamId, what: "Auto top-up" });
  await withTx(db, async (tx) => {
    const before = await tx.$queryRaw<{ enabled: boolean; threshold_credits: bigint; amount_cents: bigint; max_per_month: number }[]>`
      SELECT enabled, threshold_credits, amount_cents, max_per_month FROM auto_top_ups WHERE team_id = ${teamId} FOR UPDATE`;
    const settings = { enabled: input.enabled, thresholdCredits, amountCents, maxPerMonth: input.maxPerMonth };
    const reset = input.enabled ? { disabledReason: null, failureCount: 0 } : {};
    await tx.autoTopUp.upsert({ where: { teamId }, create: { teamId, ...settings }, update: { ...settings, ...reset } });
    const b = before[0];
    await tx.auditLog.create({
      data: {
        teamId,
        actorUserId,
        action: "auto_top_up.updated",
        targetType: "auto_top_up",
        targetId: teamId,
        data: {
          before: b
            ? { enabled: b.enabled, thresholdCredits: String(b.threshold_credits), amountCents: String(b.amount_cents), maxPerMonth: b.max_per_month }
            : null,
          after: { enabled: input.enabled, thresholdCredits: String(thresholdCredits), amountCents: String(amountCents), maxPerMonth: input.maxPerMonth },
        },
      },
    });
  });
  return getAutoTopUp({ db, teamId });
}
