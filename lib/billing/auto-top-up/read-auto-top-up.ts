import { type Actor, requirePermission } from "../../auth/permissions";
import type { Tx } from "../../db/client";
import { type AutoTopUpView, getAutoTopUp } from "./get-auto-top-up";

/** The actor's team's auto top-up settings, for pages and routes alike: FORBIDDEN without billing:read. */
export async function readAutoTopUp({ db, actor, now }: { db: Tx; actor: Actor; now?: Date }): Promise<AutoTopUpView> {
  requirePermission(actor, "billing:read");
  return getAutoTopUp({ db, teamId: actor.teamId, now });
}
