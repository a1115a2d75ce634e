import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { withTx } from "../with-tx";
import { budgetSettings } from "./budget-settings";
import { type BudgetView, getBudget } from "./get-budget";

/**
 * Removes the actor's team's budget (`scope` "team", or an API key id): spending is no longer capped and no more alerts are sent;
 * this month's spend counter stays. NOT_FOUND when there is none; FORBIDDEN without billing:write. Locks the team row (orders with debits); audit-logged
 * with the settings it had.
 */
export async function removeBudget({ db, actor, scope = "team", now }: { db: Tx; actor: Actor; scope?: string; now?: Date }): Promise<BudgetView> {
  requirePermission(actor, "billing:write");
  const teamId = actor.teamId;
  return withTx(db, async (tx) => {
    const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM teams WHERE id = $1 FOR UPDATE`, teamId);
    if (locked.length === 0) throw new BillingError("NOT_FOUND", "That team does not exist.");
    const budget = await tx.budget.findUnique({ where: { teamId_scope: { teamId, scope } } });
    if (!budget) throw new BillingError("NOT_FOUND", "There is no budget to remove.");
    await tx.budget.delete({ where: { id: budget.id } });
    await tx.auditLog.create({
      data: {
        teamId,
        actorUserId: actor.kind === "user" ? actor.userId : null,
        actorApiKeyId: actor.kind === "apiKey" ? actor.apiKeyId : null,
        action: "budget.removed",
        targetType: "budget",
        targetId: budget.id,
        data: { scope, before: budgetSettings(budget), after: null },
      },
    });
    return getBudget({ db: tx, teamId, scope, now });
  });
}
