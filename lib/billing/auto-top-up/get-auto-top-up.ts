import type { Tx } from "../../db/client";
import { centsToCredits } from "../money";
import { startOfUtcMonth } from "../dates";

export type AutoTopUpView = {
  configured: boolean;
  enabled: boolean;
  thresholdCredits: bigint;
  amountCents: bigint;
  /** Credits one charge buys at the standard rate. */
  credits: bigint;
  maxPerMonth: number;
  /** Auto top-up charges this UTC month that did not fail. */
  chargesThisMonth: number;
  disabledReason: string | null;
  failureCount: number;
  inFlightPaymentId: string | null;
  lastTriggeredAt: Date | null;
};

export const AUTO_TOP_UP_DEFAULTS = { thresholdCredits: 1_000_000n, amountCents: 5_000n, maxPerMonth: 3 } as const;

/** A team's auto top-up settings (defaults when never set) and how many charges it made this month. */
export async function getAutoTopUp({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<AutoTopUpView> {
  const [row, charges] = await Promise.all([
    db.autoTopUp.findUnique({ where: { teamId } }),
    db.payment.count({ where: { teamId, kind: "AUTO_TOPUP", createdAt: { gte: startOfUtcMonth(now) }, status: { notIn: ["FAILED", "CANCELED", "EXPIRED"] } } }),
  ]);
  const amountCents = row?.amountCents ?? AUTO_TOP_UP_DEFAULTS.amountCents;
  return {
    configured: row !== null,
    enabled: row?.enabled ?? false,
    thresholdCredits: row?.thresholdCredits ?? AUTO_TOP_UP_DEFAULTS.thresholdCredits,
    amountCents,
    credits: centsToCredits(amountCents),
    maxPerMonth: row?.maxPerMonth ?? AUTO_TOP_UP_DEFAULTS.maxPerMonth,
    chargesThisMonth: charges,
    disabledReason: row?.disabledReason ?? null,
    failureCount: row?.failureCount ?? 0,
    inFlightPaymentId: row?.inFlightPaymentId ?? null,
    lastTriggeredAt: row?.lastTriggeredAt ?? null,
  };
}
