import { describe, expect, it } from "vitest";
import { enterpriseProvider } from "../../lib/auth/enterprise";
import { parseEnv } from "../../lib/env";

// Enterprise sign-in is configured by environment: all of it or none of it (the demo runs with none).
describe("ENTERPRISE_OIDC_*", () => {
  const full = {
    ENTERPRISE_OIDC_ISSUER: "https://portal.sso.eu-west-1.amazonaws.com",
    ENTERPRISE_OIDC_CLIENT_ID: "client",
    ENTERPRISE_OIDC_CLIENT_SECRET: "secret",
  };

  it("unset: no enterprise provider", () => {
    expect(enterpriseProvider(parseEnv({}))).toBeNull();
    expect(enterpriseProvider(parseEnv({ ENTERPRISE_OIDC_ISSUER: "", ENTERPRISE_OIDC_CLIENT_ID: "" }))).toBeNull();
  });

  it("set: a standard OIDC provider with the display name", () => {
    const p = enterpriseProvider(parseEnv({ ...full, ENTERPRISE_OIDC_NAME: "AWS IAM Identity Center" }));
    expect(p).toMatchObject({ id: "enterprise", type: "oidc", name: "AWS IAM Identity Center", issuer: full.ENTERPRISE_OIDC_ISSUER, clientId: "client" });
    expect(enterpriseProvider(parseEnv(full))?.name).toBe("Enterprise sign-in");
  });

  it("half set, or not a URL: start-up stops naming the variable", () => {
    expect(() => parseEnv({ ...full, ENTERPRISE_OIDC_CLIENT_SECRET: "" })).toThrow(/ENTERPRISE_OIDC_CLIENT_SECRET: enterprise sign-in needs/);
    expect(() => parseEnv({ ENTERPRISE_OIDC_ISSUER: full.ENTERPRISE_OIDC_ISSUER })).toThrow(/ENTERPRISE_OIDC_CLIENT_ID/);
    expect(() => parseEnv({ ...full, ENTERPRISE_OIDC_ISSUER: "not a url" })).toThrow(/ENTERPRISE_OIDC_ISSUER/);
  });

  // A team invitation is accepted by the account's address: the issuer's word that it verified it counts, and no
  // Unicode case folding turns another address into an ASCII one.
  it("keeps the address in lower case (ASCII letters only), and none the issuer says it did not verify", () => {
    const profile = (claims: Record<string, unknown>) =>
      (enterpriseProvider(parseEnv(full))!.profile as (c: Record<string, unknown>) => { email: string | null })({ sub: "s", ...claims });
    expect(profile({ email: "Kate@Corp.Example" }).email).toBe("kate@corp.example");
    expect(profile({ email: "Kate@Corp.Example", email_verified: true }).email).toBe("kate@corp.example");
    expect(profile({ email: "ceo@victim.example", email_verified: false }).email).toBeNull();
    expect(profile({ email: "ceo@victim.example", email_verified: "false" }).email).toBeNull();
    expect(profile({ email: "\u212Aate@corp.example" }).email).toBe("\u212Aate@corp.example");
    expect(profile({}).email).toBeNull();
  });
});
