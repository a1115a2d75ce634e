import { BillingError } from "../billing/errors";
import type { Db } from "../db/client";
import type { AccessStatus, Team } from "../db/generated/client";
import { authenticateApiKey } from "../auth/api-key";
import type { Actor } from "../auth/permissions";
import { resolveTeamActor } from "../teams/resolve-team-actor";
import { NOT_A_MEMBER } from "./input";

// Who is asking, the one definition: a signed-in member of the team in the path, a program with a team API key (or
// a signed-in member naming the team with ?team=), or a platform admin. Each refusal is a BillingError.

export type UserActor = Extract<Actor, { kind: "user" }>;
export type AdminUser = { id: string; email: string | null; name: string | null };
/** Anyone signed in and approved, acting for themselves rather than on a team (accepting an invitation, creating a team). */
export type SignedInUser = { id: string; email: string | null; name: string | null };

export const SIGN_IN_FIRST = "You are not signed in, or your session has ended. Sign in again.";

// Enterprise sign-in is reviewed first: until a platform admin approves the person, their session opens no team, no
// admin page and no API (the sign-in review page, /sign-in-review, says where they stand).
const accessRefusal = {
  PENDING: () => new BillingError("ACCOUNT_PENDING", "Your sign-in is waiting for a platform admin's review. You can use Creditdesk once it is approved."),
  REJECTED: () => new BillingError("ACCOUNT_REJECTED", "Your sign-in was not approved. The sign-in review page says why."),
} as const;

/** Refuses a person whose sign-in is not (or not yet) approved. */
export function assertApproved(status: AccessStatus): void {
  if (status !== "APPROVED") throw accessRefusal[status]();
}

const keyRefusal = {
  malformed: "That is not a Creditdesk API key.",
  unknown: "That API key is not valid.",
  revoked: "That API key has been revoked.",
} as const;
const NO_KEY = "Send an API key as `Authorization: Bearer cdk_live_…`.";

// Lazily: API-key calls never load the session machinery. One shared import, so concurrent first requests do not
// each start loading it (under Vitest's module mocks, those racing imports bypassed the mock and failed).
let authConfig: Promise<typeof import("../auth/config")> | null = null;

/** The signed-in user's id, or null (also outside a Next request scope, where there is no session). */
export async function sessionUserId(): Promise<string | null> {
  try {
    const { auth } = await (authConfig ??= import("../auth/config"));
    const id = (await auth())?.user?.id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** A signed-in member of the named team: 401 signed out, 403 ACCOUNT_PENDING / ACCOUNT_REJECTED, 404 not a member. */
export async function teamMember(db: Db, userId: string | null, slug: string): Promise<{ actor: UserActor; team: Team }> {
  if (!userId) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
  const resolved = await resolveTeamActor({ db, userId, team: { slug } });
  if (!resolved) {
    // Not a member: a person under review hears that first, whatever slug they typed (it says nothing of the team).
    const user = await db.user.findUnique({ where: { id: userId }, select: { accessStatus: true } });
    if (user) assertApproved(user.accessStatus);
    throw new BillingError("NOT_FOUND", NOT_A_MEMBER);
  }
  assertApproved(resolved.accessStatus);
  return { actor: resolved.actor as UserActor, team: resolved.team };
}

const teamSelector = (req: Request) => new URL(req.url).searchParams.get("team") ?? req.headers.get("x-creditdesk-team");

/**
 * A program (team API key in `Authorization: Bearer`) or a signed-in member naming the team with `?team=<slug>` (or
 * `X-Creditdesk-Team`). A key may name only its own team (by id or slug): another is 403, never silently its own.
 */
export async function apiCaller(req: Request, db: Db): Promise<Actor> {
  const key = await authenticateApiKey(req, { db });
  const wanted = teamSelector(req);
  if (key.ok) {
    if (wanted && wanted !== key.actor.teamId) {
      const team = await db.team.findUnique({ where: { id: key.actor.teamId }, select: { slug: true } });
      if (team?.slug !== wanted) throw new BillingError("FORBIDDEN", "This credential belongs to another team.");
    }
    return key.actor;
  }
  if (key.reason === "missing") {
    const userId = await sessionUserId();
    if (userId) {
      if (!wanted) throw new BillingError("UNAUTHENTICATED", "Signed in: name the team with ?team=<slug>.", { bearer: true });
      return (await teamMember(db, userId, wanted)).actor;
    }
  }
  throw new BillingError("UNAUTHENTICATED", key.reason === "missing" ? NO_KEY : keyRefusal[key.reason], { bearer: true });
}

/** A platform admin, read fresh from the database on every call (a revoked flag takes effect at once). */
export async function platformAdmin(db: Db, userId: string | null): Promise<AdminUser> {
  if (!userId) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, isPlatformAdmin: true, accessStatus: true },
  });
  if (!user) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
  assertApproved(user.accessStatus);
  if (!user.isPlatformAdmin) throw new BillingError("FORBIDDEN", "Only platform admins can do this.");
  return { id: user.id, email: user.email, name: user.name };
}

/** The signed-in, approved person, read fresh from the database. */
export async function signedInUser(db: Db, userId: string | null): Promise<SignedInUser> {
  if (!userId) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, accessStatus: true } });
  if (!user) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
  assertApproved(user.accessStatus);
  return { id: user.id, email: user.email, name: user.name };
}
