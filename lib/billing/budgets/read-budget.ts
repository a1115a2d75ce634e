import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { type BudgetView, getBudget } from "./get-budget";

/** The actor's team's budget and this month's spend, for pages and routes alike: FORBIDDEN without billing:read. */
export async function readBudget({ db, actor, scope, now }: { db: Tx; actor: Actor; scope?: string; now?: Date }): Promise<BudgetView> {
  requirePermission(actor, "billing:read");
  return getBudget({ db, teamId: actor.teamId, scope, now });
}
