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
});
