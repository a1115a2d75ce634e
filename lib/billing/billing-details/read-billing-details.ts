import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { type BillingDetailsView, getBillingDetails } from "./get-billing-details";

/** The actor's team's billing details, for pages and routes alike: FORBIDDEN without billing:read. */
export async function readBillingDetails({ db, actor }: { db: Tx; actor: Actor }): Promise<BillingDetailsView> {
  requirePermission(actor, "billing:read");
  return getBillingDetails({ db, teamId: actor.teamId });
}
