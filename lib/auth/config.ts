import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { type NextAuthConfig } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import Nodemailer from "next-auth/providers/nodemailer";
import { z } from "zod";
import { db } from "../db/client";
import { env } from "../env";
import { ensurePersonalTeam } from "../teams/ensure-personal-team";
import { demoPersonas } from "./demo-personas";
import { githubUserinfo } from "./github-email";
import { ENTERPRISE_PROVIDER, enterpriseProvider, reviewedAdapter } from "./enterprise";
import { authRedirect } from "./safe-redirect";

export function enabledProviders(): Provider[] {
  const e = env();
  const providers: Provider[] = [];
  // Only an address Google verified (email_verified): an invitation is accepted by the account's address.
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET)
    providers.push(
      Google({
        clientId: e.AUTH_GOOGLE_ID,
        clientSecret: e.AUTH_GOOGLE_SECRET,
        profile: (p) => ({ id: p.sub, name: p.name ?? null, email: p.email_verified === true ? p.email : null, image: p.picture ?? null }),
      }),
    );
  // Only an address GitHub verified (github-email.ts): an invitation is accepted by the account's address.
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET)
    providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET, userinfo: { request: githubUserinfo } }));
  const enterprise = enterpriseProvider(e);
  if (enterprise) providers.push(enterprise);
  if (e.EMAIL_SERVER) providers.push(Nodemailer({ server: e.EMAIL_SERVER, from: e.EMAIL_FROM }));
  if (e.CREDITDESK_DEMO) {
    providers.push(
      Credentials({
        id: "demo",
        name: "Demo persona",
        credentials: { persona: { label: "Persona", type: "text" } },
        async authorize(raw) {
          const parsed = z.object({ persona: z.enum(demoPersonas.map((p) => p.key)) }).safeParse(raw);
          if (!parsed.success) return null;
          const persona = demoPersonas.find((p) => p.key === parsed.data.persona)!;
          const user = await db().user.findUnique({ where: { email: persona.email } });
          return user ? { id: user.id, name: user.name, email: user.email } : null;
        },
      }),
    );
  }
  return providers;
}

/** `req`: the request Auth.js is handling (undefined for session reads and server-action sign-ins). */
function config(req?: Request): NextAuthConfig {
  const e = env();
  // A person the enterprise provider's callback creates is born PENDING (one insert): no instant where their new
  // account is usable before review. Only that callback creates users that way.
  const enterpriseCallback = req !== undefined && new URL(req.url).pathname.endsWith(`/callback/${ENTERPRISE_PROVIDER}`);
  return {
    adapter: enterpriseCallback ? reviewedAdapter(db()) : PrismaAdapter(db()),
    // JWT sessions: required by the demo credentials provider, and no session row read per request.
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    secret: e.AUTH_SECRET,
    trustHost: true,
    providers: enabledProviders(),
    pages: { signIn: "/signin", verifyRequest: "/signin?check-email=1", error: "/signin" },
    callbacks: {
      // Every redirect Auth.js makes (OAuth and email callbacks, sign-out) goes through the one same-origin check.
      redirect: authRedirect,
      jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
    events: {
      async signIn({ user }) {
        if (user.id) await ensurePersonalTeam({ db: db(), userId: user.id });
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth((req) => config(req));
