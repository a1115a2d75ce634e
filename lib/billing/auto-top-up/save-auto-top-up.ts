import { type Actor, requirePermission } from "../../auth/permissions";
import type { Db } from "../../db/client";
import type { CardGateway } from "../cards/card-port";
import { getSavedCard } from "../cards/get-saved-card";
import { BillingError } from "../errors";
import type { AutoTopUpView } from "./get-auto-top-up";
import { type AutoTopUpInput, setAutoTopUp } from "./set-auto-top-up";
import { forgetAutoTopUpSettings } from "./trigger-auto-top-up";

/**
 * The actor's team's auto top-up, as a person sets it: FORBIDDEN without billing:write; turning it on needs a saved
 * card to charge (NO_PAYMENT_METHOD, checked before the settings themselves) and a paid plan (setAutoTopUp). This
 * process forgets its cached threshold, so the next debit sees the change. Returns the settings as saved.
 */
export async function saveAutoTopUp({
  db,
  gateway,
  actor,
  input,
}: {
  db: Db;
  gateway: () => CardGateway;
  actor: Actor;
  input: AutoTopUpInput;
}): Promise<AutoTopUpView> {
  requirePermission(actor, "billing:write");
  const teamId = actor.teamId;
  if (input.enabled) {
    const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { stripeCustomerId: true } });
    // Stripe is asked only when turning it on: turning it off works without payments set up.
    if (!(await getSavedCard({ gateway: gateway(), customerId: team.stripeCustomerId }))) {
      throw new BillingError("NO_PAYMENT_METHOD", "Add a card first: auto top-up charges the saved card.", { field: "enabled" });
    }
  }
  const view = await setAutoTopUp({ db, teamId, actorUserId: actor.kind === "user" ? actor.userId : null, input });
  forgetAutoTopUpSettings(teamId);
  return view;
}
