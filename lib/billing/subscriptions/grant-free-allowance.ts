import type { Tx } from "../../db/client";
import { creditCredits } from "../ledger/credit-credits";
import { getTeamPlan } from "../plans/get-team-plan";
import { closeTeamDraw } from "../statements/close-team-draw";

/** Ledger key of Free's allowance for the cycle starting at `cycleStart` (one per team per cycle). */
export const freeAllowanceKey = (cycleStart: Date) => `plan:free:${cycleStart.toISOString().slice(0, 10)}`;

/**
 * Free's monthly allowance needs no invoice: a team on Free (no live subscription) gets the Free plan's monthly credits
 * once per cycle (the UTC calendar month), as a PLAN grant expiring at the cycle's end. Idempotent per team and cycle;
 * a team on a paid plan gets nothing here (its invoices grant its credits). Returns the credits granted now (0n when
 * already granted, not on Free, or Free has no allowance).
 */
export async function grantFreeAllowance({ db, teamId, now = new Date() }: { db: Tx; teamId: string; now?: Date }): Promise<bigint> {
  const plan = await getTeamPlan({ db, teamId, now });
  if (!plan.free || plan.subscription || !plan.plan.monthlyCredits || plan.plan.monthlyCredits <= 0n) return 0n;
  if (plan.cycleEnd.getTime() <= now.getTime()) return 0n;
  const idempotencyKey = freeAllowanceKey(plan.cycleStart);
  // Last month's draw below zero (a credit line) is closed into its statement first: these credits would otherwise repay it.
  if (!(await db.ledgerEntry.findFirst({ where: { teamId, idempotencyKey }, select: { id: true } }))) {
    await closeTeamDraw({ db, teamId, closesAt: plan.cycleStart, now });
  }
  const r = await creditCredits({
    db,
    teamId,
    amount: plan.plan.monthlyCredits,
    kind: "PLAN_GRANT",
    idempotencyKey,
    cycleEnd: plan.cycleEnd,
    referenceType: "free_cycle",
    referenceId: plan.cycleStart.toISOString(),
    description: "Free plan monthly credits",
  });
  return r.duplicate ? 0n : plan.plan.monthlyCredits;
}
