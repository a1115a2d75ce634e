import type { Tx } from "../db/client";
import { grantTrialCredits } from "../billing/teams/grant-trial-credits";

/** What every new team gets, in the transaction that creates it. */
export async function onTeamCreated({ db, teamId }: { db: Tx; teamId: string }): Promise<void> {
  await grantTrialCredits({ db, teamId });
}
