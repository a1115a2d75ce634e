import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterUser } from "next-auth/adapters";
import type { OIDCConfig } from "next-auth/providers";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { foldEmail } from "./input-text";

// Enterprise sign-in: one standard OpenID Connect issuer (AWS IAM Identity Center, Cognito, Okta, ...) configured by
// ENTERPRISE_OIDC_*. Its endpoints come from the issuer's discovery document. People it signs in for the first time
// wait for a platform admin's review (users.access_status, lib/accounts/).

export const ENTERPRISE_PROVIDER = "enterprise";

type Claims = { sub: string; email?: string; email_verified?: boolean | string; name?: string; preferred_username?: string; picture?: string };

/** The provider, or null when enterprise sign-in is not configured. */
export function enterpriseProvider(e: Env): OIDCConfig<Claims> | null {
  if (!e.ENTERPRISE_OIDC_ISSUER || !e.ENTERPRISE_OIDC_CLIENT_ID || !e.ENTERPRISE_OIDC_CLIENT_SECRET) return null;
  return {
    id: ENTERPRISE_PROVIDER,
    name: e.ENTERPRISE_OIDC_NAME,
    type: "oidc",
    issuer: e.ENTERPRISE_OIDC_ISSUER,
    clientId: e.ENTERPRISE_OIDC_CLIENT_ID,
    clientSecret: e.ENTERPRISE_OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    checks: ["pkce", "state", "nonce"],
    profile: (p) => ({
      id: p.sub,
      name: p.name ?? p.preferred_username ?? null,
      // Stored lower-case, as Auth.js does for email sign-in, so the same address is one person; ASCII letters only
      // (toLowerCase folds the Kelvin sign into "k"). An address the issuer says it did not verify is not kept: a team
      // invitation is accepted by the account's address. Issuers that send no email_verified are taken at their word.
      email: typeof p.email === "string" && p.email_verified !== false && p.email_verified !== "false" ? foldEmail(p.email) : null,
      image: p.picture ?? null,
    }),
  };
}

/** The Prisma adapter whose new users start PENDING review. */
export function reviewedAdapter(db: Db): Adapter {
  const base = PrismaAdapter(db);
  return {
    ...base,
    async createUser({ name, email, emailVerified, image }: AdapterUser) {
      const data = { name: name ?? null, email, emailVerified: emailVerified ?? null, image: image ?? null, accessStatus: "PENDING" as const };
      return (await db.user.create({ data })) as AdapterUser;
    },
  };
}
