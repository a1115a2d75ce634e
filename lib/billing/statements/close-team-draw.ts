import type { Tx } from "../../db/client";
import type { Statement } from "../../db/generated/client";
import { billingConfig } from "../config";
import { planHasOverage } from "../usage/overage";
import { closeStatement } from "./close-statement";
import { statementBoundary } from "./statement-boundary";

const DAY_MS = 86_400_000;

/**
 * Closes what the team drew below zero into a statement at `closesAt` (default: its last cycle boundary), deciding the
 * kind (an approved credit line, else a paid plan's metered overage; a debt left by a refund or a dispute is neither and
 * is not billed), the subscription it is billed on while one is live, and the due date (STATEMENT_DAYS_UNTIL_DUE after
 * the boundary; how it is collected is decided when it is issued, by whether a card is on file). Called by the statements sweep, and before a new cycle's plan
 * credits are granted: those would otherwise repay the last cycle's draw and leave nothing to bill.
 */
export async function closeTeamDraw({
  db,
  teamId,
  closesAt,
  now = new Date(),
}: {
  db: Tx;
  teamId: string;
  closesAt?: Date;
  now?: Date;
}): Promise<{ statement: Statement; created: boolean } | null> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: {
      balance: true,
      creditLimitCredits: true,
      subscription: {
        select: {
          status: true,
          billingCycle: true,
          currentPeriodStart: true,
          currentPeriodEnd: true,
          canceledAt: true,
          stripeSubscriptionId: true,
          plan: { select: { id: true, teamId: true } },
        },
      },
    },
  });
  if (!team || team.balance >= 0n) return null;
  const sub = team.subscription;
  const kind = team.creditLimitCredits > 0n ? "CREDIT_LINE" : sub && planHasOverage(sub.plan) ? "OVERAGE" : null;
  if (!kind) return null;
  const live = sub !== null && ["ACTIVE", "TRIALING", "PAST_DUE"].includes(sub.status) && sub.stripeSubscriptionId !== null;
  const at = closesAt ?? statementBoundary(sub, now);
  return closeStatement({
    db,
    teamId,
    kind,
    closesAt: at,
    stripeSubscriptionId: live ? sub.stripeSubscriptionId : null,
    dueAt: new Date(at.getTime() + billingConfig().statementDaysUntilDue * DAY_MS),
  });
}
