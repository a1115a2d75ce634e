import type { Db } from "../lib/db/client";

// The baseline the benchmark compares with: what a straightforward implementation does, one Prisma interactive
// transaction per debit (lock the team, check the key, check floor and cap, drain grants, insert the entry, move the
// balance, upsert the spend counter and the rollup), each holding the team lock for about ten round trips.
export async function naiveDebit(
  db: Db,
  { teamId, idempotencyKey, operation, quantity, amount }: { teamId: string; idempotencyKey: string; operation: string; quantity: bigint; amount: bigint },
): Promise<{ status: "debited" | "duplicate" | "rejected"; balanceAfter?: bigint }> {
  return db.$transaction(
    async (tx) => {
      const [team] = await tx.$queryRaw<
        { balance: bigint; credit_limit_credits: bigint }[]
      >`SELECT balance, credit_limit_credits FROM teams WHERE id = ${teamId} FOR UPDATE`;
      if (!team) return { status: "rejected" as const };
      const existing = await tx.ledgerEntry.findUnique({ where: { teamId_idempotencyKey: { teamId, idempotencyKey } } });
      if (existing) return { status: "duplicate" as const, balanceAfter: existing.balanceAfter };
      const now = new Date();
      const month = now.toISOString().slice(0, 7);
      const budget = await tx.budget.findUnique({ where: { teamId_scope: { teamId, scope: "team" } } });
      const counter = await tx.spendCounter.findUnique({ where: { teamId_scope_month: { teamId, scope: "team", month } } });
      if (team.balance - amount < -team.credit_limit_credits) return { status: "rejected" as const };
      if (budget && (budget.hardCap || !budget.allowSoftOverage) && (counter?.credits ?? 0n) + amount > budget.monthlyCapCredits)
        return { status: "rejected" as const };
      const grants = await tx.creditGrant.findMany({
        where: { teamId, remaining: { gt: 0 } },
        orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { priority: "asc" }, { createdAt: "asc" }],
        take: 10,
      });
      let left = amount;
      for (const g of grants) {
        if (left === 0n) break;
        const take = g.remaining < left ? g.remaining : left;
        await tx.creditGrant.update({ where: { id: g.id }, data: { remaining: g.remaining - take } });
        left -= take;
      }
      const balanceAfter = team.balance - amount;
      await tx.ledgerEntry.create({
        data: { teamId, kind: "USAGE", amount: -amount, balanceAfter, idempotencyKey, operation, quantity, grantId: grants[0]?.id ?? null },
      });
      await tx.team.update({ where: { id: teamId }, data: { balance: balanceAfter } });
      await tx.spendCounter.upsert({
        where: { teamId_scope_month: { teamId, scope: "team", month } },
        create: { teamId, scope: "team", month, credits: amount },
        update: { credits: { increment: amount } },
      });
      const day = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
      await tx.usageRollup.upsert({
        where: { teamId_day_operation: { teamId, day, operation } },
        create: { teamId, day, operation, quantity, credits: amount, events: 1n },
        update: { quantity: { increment: quantity }, credits: { increment: amount }, events: { increment: 1n } },
      });
      return { status: "debited" as const, balanceAfter };
    },
    { maxWait: 60_000, timeout: 60_000 },
  );
}
