import { randomBytes } from "node:crypto";
import type { UserActor } from "../../lib/teams/members/member-rules";
import type { Db } from "../../lib/db/client";
import type { TeamRole } from "../../lib/db/generated/enums";
import { creditCredits } from "../../lib/billing/ledger/credit-credits";
import { setCreditLimit } from "../../lib/billing/credit-lines/set-credit-limit";

const rand = () => randomBytes(4).toString("hex");

/** A user and a team they own, made the way the app makes them; optionally topped up and given a credit line. */
export async function makeTeam(
  db: Db,
  opts: { credits?: bigint; creditLimitCents?: bigint; name?: string } = {},
): Promise<{ teamId: string; userId: string; slug: string }> {
  const user = await db.user.create({ data: { email: `u-${rand()}@example.test`, name: "Test Owner" } });
  const slug = `team-${rand()}`;
  const team = await db.team.create({
    data: { name: opts.name ?? "Test team", slug, memberships: { create: { userId: user.id, role: "OWNER" } } },
  });
  if (opts.credits && opts.credits > 0n) {
    await creditCredits({ db, teamId: team.id, amount: opts.credits, kind: "TOPUP", idempotencyKey: `seed-topup-${rand()}`, expiresAt: null });
  }
  if (opts.creditLimitCents && opts.creditLimitCents > 0n) {
    await setCreditLimit({ db, teamId: team.id, limitCents: opts.creditLimitCents, actorUserId: user.id, reason: "test" });
  }
  return { teamId: team.id, userId: user.id, slug };
}

/** makeTeam, plus one more member for each other role ("ADMIN person" ...): `users` names each role's user. */
export async function makeTeamWithRoles(
  db: Db,
  opts: Parameters<typeof makeTeam>[1] = {},
): Promise<{ teamId: string; userId: string; slug: string; users: Record<TeamRole, string> }> {
  const team = await makeTeam(db, opts);
  const users: Record<TeamRole, string> = { OWNER: team.userId, ADMIN: "", BILLING: "", MEMBER: "" };
  for (const role of ["ADMIN", "BILLING", "MEMBER"] as const) {
    const u = await db.user.create({ data: { email: `${role.toLowerCase()}-${rand()}@example.test`, name: `${role} person` } });
    await db.membership.create({ data: { teamId: team.teamId, userId: u.id, role } });
    users[role] = u.id;
  }
  return { ...team, users };
}

/** A signed-in person acting in a team with a role, as the edges build them (not a platform admin). */
export const userActor = (userId: string, teamId: string, role: TeamRole): UserActor => ({ kind: "user", userId, teamId, role, isPlatformAdmin: false });

export async function teamBalance(db: Db, teamId: string): Promise<bigint> {
  return (await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { balance: true } })).balance;
}

export async function makePlatformAdmin(db: Db, name: string): Promise<string> {
  return (await db.user.create({ data: { email: `${name}-${rand()}@platform.test`, isPlatformAdmin: true } })).id;
}

const DAY_MS = 86_400_000;

/**
 * A credit-line statement of $1 that closed `daysAgo` days ago, due 14 days after: paid on time (a day after closing),
 * paid late (a day after the due date) or unpaid.
 */
export async function makeLineStatement(db: Db, teamId: string, daysAgo: number, standing: "on_time" | "late" | "unpaid"): Promise<void> {
  const closesAt = new Date(Date.now() - daysAgo * DAY_MS);
  const dueAt = new Date(closesAt.getTime() + 14 * DAY_MS);
  const paidAt = standing === "on_time" ? new Date(closesAt.getTime() + DAY_MS) : standing === "late" ? new Date(dueAt.getTime() + DAY_MS) : null;
  await db.statement.create({
    data: { teamId, kind: "CREDIT_LINE", closesAt, drawnCredits: 1n, amountCents: 100n, status: paidAt ? "PAID" : "OPEN", dueAt, paidAt },
  });
}
