// The local OpenID Connect issuer as a process, for the e2e run (playwright.config.ts starts it as a web server).
import { startOidcIssuer } from "./oidc-issuer";

const issuer = await startOidcIssuer({
  port: Number(process.env.OIDC_PORT),
  clientId: process.env.OIDC_CLIENT_ID ?? "creditdesk",
  clientSecret: process.env.OIDC_CLIENT_SECRET ?? "creditdesk-secret",
  redirectUris: (process.env.OIDC_REDIRECT_URIS ?? "").split(",").filter(Boolean),
});
console.log(`OpenID Connect issuer on ${issuer.issuer}`);
process.on("SIGTERM", () => void issuer.close().then(() => process.exit(0)));
