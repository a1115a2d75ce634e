import { CONTROL_CHARACTERS } from "../auth/input-text";
import { BillingError } from "../billing/errors";
import type { Db } from "../db/client";
import { createTeam } from "./create-team";

/** Teams one person may own at once (a cap on what one account can spin up). */
export const MAX_OWNED_TEAMS = 20;

/**
 * A signed-in person creates another team and owns it; their personal team stays. No trial credits: the trial comes
 * once per person, with the personal team, or a new team would be free credits. Audit-logged (team.created).
 */
export async function createAnotherTeam({ db, userId, name }: { db: Db; userId: string; name: string }) {
  const label = name.trim();
  if (label.length < 1 || label.length > 60) throw new BillingError("VALIDATION_FAILED", "Give the team a name of at most 60 characters", { field: "name" });
  // The name is printed on the team's invoices and written into the invitation emails it sends: one line of text.
  if (CONTROL_CHARACTERS.test(label))
    throw new BillingError("VALIDATION_FAILED", "The team name must be a single line without control characters.", { field: "name" });
  return db.$transaction(async (tx) => {
    // Serialises one person's team creations, so two at once cannot both pass the cap.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
    const owned = await tx.membership.count({ where: { userId, role: "OWNER" } });
    if (owned >= MAX_OWNED_TEAMS) throw new BillingError("CONFLICT", `You own ${MAX_OWNED_TEAMS} teams already; leave or hand one over first.`);
    const team = await createTeam({ db: tx, name: label, ownerUserId: userId });
    await tx.user.update({ where: { id: userId }, data: { lastTeamId: team.id } });
    return { slug: team.slug, name: team.name };
  });
}
