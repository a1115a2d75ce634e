import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { parseUsdToCents } from "../money";
import type { BudgetView } from "./get-budget";
import { setBudget } from "./set-budget";

export type BudgetInput = {
  /** Dollars, as typed ("500" or "500.00") or a JSON number. */
  monthlyCapUsd: string | number;
  hardCap?: boolean;
  allowSoftOverage?: boolean;
  /** Empty or null: no alert email. */
  alertEmail?: string | null;
};

/**
 * Sets the actor's team's budget from what a person or program sent (the API's POST and the dashboard's form alike):
 * FORBIDDEN without billing:write; omitted booleans take the seed's defaults (hard_cap false, allow_soft_overage true).
 */
export async function saveBudget({ db, actor, input, now }: { db: Tx; actor: Actor; input: BudgetInput; now?: Date }): Promise<BudgetView> {
  requirePermission(actor, "billing:write");
  return setBudget({
    db,
    teamId: actor.teamId,
    monthlyCapCents: parseUsdToCents(input.monthlyCapUsd, "monthly_cap_usd"),
    hardCap: input.hardCap ?? false,
    allowSoftOverage: input.allowSoftOverage ?? true,
    alertEmail: input.alertEmail ?? null,
    actor: actor.kind === "apiKey" ? { apiKeyId: actor.apiKeyId } : { userId: actor.userId },
    now,
  });
}
