import type { Tx } from "../../db/client";
import { getBudget } from "./get-budget";

/**
 * Would spending `credits` now be allowed by the team's budget (and the key's, when given)? For pages and for
 * warning before a large job; the debit itself decides again under the team lock.
 */
export async function checkBudget({
  db,
  teamId,
  credits,
  apiKeyId,
  now,
}: {
  db: Tx;
  teamId: string;
  credits: bigint;
  apiKeyId?: string | null;
  now?: Date;
}): Promise<{
  allowed: boolean;
  blockedBy: "team" | "api_key" | null;
  remainingCredits: bigint | null;
}> {
  let remaining: bigint | null = null;
  for (const scope of apiKeyId ? ["team", apiKeyId] : ["team"]) {
    const view = await getBudget({ db, teamId, scope, now });
    const b = view.budget;
    if (!b) continue;
    const left = b.monthlyCapCredits - view.spendCredits;
    const blocking = b.hardCap || !b.allowSoftOverage;
    if (blocking) remaining = remaining === null || left < remaining ? left : remaining;
    if (blocking && view.spendCredits + credits > b.monthlyCapCredits)
      return { allowed: false, blockedBy: scope === "team" ? "team" : "api_key", remainingCredits: left > 0n ? left : 0n };
  }
  return { allowed: true, blockedBy: null, remainingCredits: remaining === null ? null : remaining > 0n ? remaining : 0n };
}
