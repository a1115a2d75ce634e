// A real OpenID Connect provider (the certified `oidc-provider` package) for tests: the enterprise sign-in talks to it
// exactly as to AWS IAM Identity Center or Cognito (discovery, authorization code with PKCE, signed ID token).
// Its login page accepts any login name (and any password): the name is the subject, and the email is the name when
// it looks like an address, else <name>@corp.example. Consent is granted at once, as a company's IdP does.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Ctx } from "oidc-provider";

export type OidcIssuer = { issuer: string; close: () => Promise<void> };

export const emailFor = (login: string) => (login.includes("@") ? login : `${login}@corp.example`);

export async function startOidcIssuer(opts: { port?: number; clientId: string; clientSecret: string; redirectUris: string[] }): Promise<OidcIssuer> {
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: opts.redirectUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, email: emailFor(sub), email_verified: true, name: sub.split("@")[0] }),
    }),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The claims go in the ID token too, as Cognito and IAM Identity Center put them (Auth.js reads the ID token).
    conformIdTokenClaims: false,
    async loadExistingGrant(ctx: Ctx) {
      const clientId = ctx.oidc.client!.clientId;
      const existing = ctx.oidc.session?.grantIdFor(clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
    cookies: { keys: ["creditdesk-local-test-issuer"] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
