import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { type Permission, can } from "../auth/permissions";
import { requirePlatformAdmin, requireTeam, requireUser } from "../auth/session";
import { db } from "../db/client";
import { noteLastTeam } from "../teams/last-team";
import { stripeClient, stripeSettings } from "../stripe/client";
import { processGateway } from "../stripe/gateway";

// Pages' way in: who is looking (a member of the team in the path, or a platform admin) and the services the core
// needs. Pages never read the database themselves: they pass `db` to the core's permission-checked reads.
// A person whose enterprise sign-in is not approved (users.access_status) sees only the sign-in review page.

export const SIGN_IN_REVIEW_PATH = "/sign-in-review";

/** The signed-in user (others go to sign-in), sent to the sign-in review page while not approved. */
async function approvedUser(callbackUrl?: string) {
  const user = await requireUser(callbackUrl);
  if (user.accessStatus !== "APPROVED") redirect(SIGN_IN_REVIEW_PATH);
  return user;
}

/** A team page: the signed-in member (404 for anyone else, whatever slug they type) and the core's services. */
export const teamPage = cache(async (slug: string) => {
  await approvedUser(`/t/${slug}/overview`);
  const member = await requireTeam(slug);
  const stripe = stripeSettings();
  await noteLastTeam({ db: db(), userId: member.user.id, teamId: member.team.id });
  return {
    ...member,
    db: db(),
    stripe: stripeClient,
    gateway: processGateway,
    appUrl: process.env.APP_URL ?? null,
    /** Whether payments are set up on this installation, and the key Stripe.js loads with (null: hosted pages only). */
    paymentsReady: stripe !== null,
    publishableKey: stripe?.publishableKey ?? null,
  };
});

/** A team page that needs a permission: 404 without it, as for a team one is not in. */
export async function teamPageWith(slug: string, permission: Permission) {
  const page = await teamPage(slug);
  if (!can(page.actor, permission)) notFound();
  return page;
}

/** An admin page: a platform admin (404 for anyone else) and the core's services. */
export const adminPage = cache(async () => {
  await approvedUser("/admin");
  const admin = await requirePlatformAdmin();
  return { admin, db: db(), stripe: stripeClient };
});

/** A page for anyone signed in and approved (others go to sign-in and back to `callbackUrl`, or to the sign-in review page). */
export const userPage = cache(async (callbackUrl?: string) => {
  const user = await approvedUser(callbackUrl);
  return { user, db: db() };
});

/** The sign-in review page: anyone signed in, whatever their review says (others go to sign-in). */
export const signInReviewPage = cache(async () => {
  const user = await requireUser(SIGN_IN_REVIEW_PATH);
  return { user, db: db() };
});
