import type { Tx } from "../../db/client";
import type { CreditSource } from "../../db/generated/enums";
import { BillingError } from "../errors";

export type BalanceView = {
  balance: bigint;
  creditLimitCredits: bigint;
  /** The metered allowance of a paid plan below zero, billed at the overage rate at the cycle's end. */
  overageLimitCredits: bigint;
  /** Drawing below zero is suspended (an overdue statement, or a platform admin): the floor is zero. */
  drawSuspended: boolean;
  /** The lowest the balance may go by spending: minus the credit limit and the overage allowance (0 while suspended). */
  floor: bigint;
  /** Credits that can still be spent: balance − floor, never negative. */
  available: bigint;
  /** Drawn (credit line or overage) and not yet repaid: how far the balance is below zero. */
  drawn: bigint;
  /** Grants with credits left, in the order debits drain them. */
  grants: { id: string; source: CreditSource; remaining: bigint; expiresAt: Date | null }[];
  nextExpiry: { at: Date; credits: bigint } | null;
};

/** The team's balance, credit line and live grants (the drainable-grants index serves the grant list). */
export async function getBalance({ db, teamId }: { db: Tx; teamId: string }): Promise<BalanceView> {
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { balance: true, creditLimitCredits: true, overageLimitCredits: true, drawSuspendedAt: true },
  });
  if (!team) throw new BillingError("NOT_FOUND", "That team does not exist.");
  const grants = await db.creditGrant.findMany({
    where: { teamId, remaining: { gt: 0 } },
    orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { priority: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    select: { id: true, source: true, remaining: true, expiresAt: true },
  });
  const firstExpiring = grants.find((g) => g.expiresAt);
  const nextExpiry = firstExpiring?.expiresAt
    ? {
        at: firstExpiring.expiresAt,
        credits: grants.filter((g) => g.expiresAt?.getTime() === firstExpiring.expiresAt!.getTime()).reduce((s, g) => s + g.remaining, 0n),
      }
    : null;
  const drawSuspended = team.drawSuspendedAt !== null;
  const floor = drawSuspended ? 0n : -(team.creditLimitCredits + team.overageLimitCredits);
  const available = team.balance - floor;
  return {
    balance: team.balance,
    creditLimitCredits: team.creditLimitCredits,
    overageLimitCredits: team.overageLimitCredits,
    drawSuspended,
    floor,
    available: available > 0n ? available : 0n,
    drawn: team.balance < 0n ? -team.balance : 0n,
    grants,
    nextExpiry,
  };
}
