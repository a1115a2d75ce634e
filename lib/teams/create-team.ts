import { randomBytes } from "node:crypto";
import type { Tx } from "../db/client";
import type { TeamRole } from "../db/generated/enums";

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
  return `${base || "team"}-${randomBytes(3).toString("hex")}`;
}

/** Creates a team with its first member. Callers grant trial credits in the same transaction where they want them. */
export async function createTeam({
  db,
  name,
  ownerUserId,
  personal = false,
  slug,
}: {
  db: Tx;
  name: string;
  ownerUserId: string;
  personal?: boolean;
  slug?: string;
}) {
  const team = await db.team.create({
    data: {
      name,
      slug: slug ?? slugify(name),
      personalOwnerId: personal ? ownerUserId : null,
      memberships: { create: { userId: ownerUserId, role: "OWNER" satisfies TeamRole } },
    },
  });
  await db.auditLog.create({
    data: { teamId: team.id, actorUserId: ownerUserId, action: "team.created", targetType: "team", targetId: team.id, data: { personal } },
  });
  return team;
}
