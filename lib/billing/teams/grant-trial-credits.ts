import type { Tx } from "../../db/client";
import type { CreditGrant, LedgerEntry } from "../../db/generated/client";
import { billingConfig } from "../config";
import { creditCredits } from "../ledger/credit-credits";

/**
 * Gives a new team its trial credits (TRIAL_CREDITS, expiring by CREDIT_EXPIRY_TRIAL), once per team: call it where
 * the team is created, in the same transaction. Returns null when the trial is turned off (TRIAL_CREDITS=0).
 */
export async function grantTrialCredits({
  db,
  teamId,
}: {
  db: Tx;
  teamId: string;
}): Promise<{ entry: LedgerEntry; grant: CreditGrant | null; duplicate: boolean } | null> {
  const amount = billingConfig().trialCredits;
  if (amount <= 0n) return null;
  return creditCredits({ db, teamId, amount, kind: "TRIAL_GRANT", idempotencyKey: "trial", description: "Trial credits for a new team" });
}
