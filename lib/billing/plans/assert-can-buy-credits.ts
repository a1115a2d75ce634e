import type { Tx } from "../../db/client";
import { BillingError } from "../errors";
import { getTeamPlan, type TeamPlan } from "./get-team-plan";

/** Buy Credit and auto top-up are for paid plans: a team on Free gets FORBIDDEN with reason FREE_PLAN and the way out. */
export async function assertCanBuyCredits({ db, teamId, what = "Buying credits" }: { db: Tx; teamId: string; what?: string }): Promise<TeamPlan> {
  const plan = await getTeamPlan({ db, teamId });
  if (!plan.canBuyCredits) {
    throw new BillingError("FORBIDDEN", `${what} needs a paid plan; this team is on ${plan.plan.name}. Upgrade the plan, or top up with Checkout instead.`, {
      reason: "FREE_PLAN",
    });
  }
  return plan;
}
