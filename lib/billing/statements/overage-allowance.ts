import type { Tx } from "../../db/client";
import { billingConfig } from "../config";
import { overageCreditsForCents, planHasOverage } from "../usage/overage";

/**
 * Sets how far below zero the team may draw at the overage rate (teams.overage_limit_credits, part of the debit floor):
 * OVERAGE_ALLOWANCE_CENTS worth while the team's subscription is on a plan with overage and Stripe says it is paid up
 * (active or trialing), else 0. A team with a credit line draws on that instead (one draw, one statement, one rate).
 * Lowering it below what is drawn stops spending until the statement is paid; nothing already drawn is taken back.
 * Call inside the transaction that changed the subscription or the credit line (the team row is locked there).
 */
export async function syncOverageAllowance({ db, teamId }: { db: Tx; teamId: string }): Promise<bigint> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { creditLimitCredits: true, overageLimitCredits: true, subscription: { select: { status: true, plan: { select: { id: true, teamId: true } } } } },
  });
  if (!team) return 0n;
  const sub = team.subscription;
  const paidUp = sub !== null && (sub.status === "ACTIVE" || sub.status === "TRIALING") && planHasOverage(sub.plan);
  const allowance = paidUp && team.creditLimitCredits === 0n ? overageCreditsForCents(billingConfig().overageAllowanceCents) : 0n;
  if (allowance !== team.overageLimitCredits) await db.team.update({ where: { id: teamId }, data: { overageLimitCredits: allowance } });
  return allowance;
}
