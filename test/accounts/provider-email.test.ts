import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// A GitHub or Google account signs in with an address its provider verified, or none: Auth.js' GitHub provider took the
// primary address (or the first) unverified, and its Google provider ignored email_verified, while a team invitation is
// accepted by the account's address. GitHub's userinfo request runs here against a local stand-in for api.github.com.
vi.mock("server-only", () => ({}));

import { enabledProviders } from "../../lib/auth/config";
import { verifiedGitHubEmail } from "../../lib/auth/github-email";

type Email = { email: string; primary: boolean; verified: boolean };
let answer: { user: Record<string, unknown>; emails: Email[] } = { user: {}, emails: [] };
let server: Server;
let base = "";

beforeAll(async () => {
  // Read once (lib/env caches it), before any provider list is made.
  vi.stubEnv("AUTH_GITHUB_ID", "gh-id");
  vi.stubEnv("AUTH_GITHUB_SECRET", "gh-secret");
  vi.stubEnv("AUTH_GOOGLE_ID", "g-id");
  vi.stubEnv("AUTH_GOOGLE_SECRET", "g-secret");
  server = createServer((req, res) => {
    const body = req.url === "/user" ? answer.user : req.url === "/user/emails" ? answer.emails : null;
    res.writeHead(body === null ? 404 : 200, { "content-type": "application/json" }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

/** The GitHub provider as this installation configures it, its userinfo request as Auth.js merges it, run once. */
async function signInProfile(user: Record<string, unknown>, emails: Email[]) {
  answer = { user: { id: 7, login: "mallory", name: "Mallory", avatar_url: null, ...user }, emails };
  const github = enabledProviders().find((p) => typeof p !== "function" && p.id === "github") as unknown as {
    userinfo: { request: (ctx: unknown) => Promise<Record<string, unknown>> };
    options?: { userinfo?: { request?: (ctx: unknown) => Promise<Record<string, unknown>> } };
    profile: (p: Record<string, unknown>) => { email: string | null };
  };
  const request = github.options?.userinfo?.request ?? github.userinfo.request;
  const raw = await request({ tokens: { access_token: "t" }, provider: { userinfo: { url: new URL(`${base}/user`) } } });
  return github.profile(raw);
}

describe("a GitHub account's address", () => {
  it("an unverified primary address (the victim's, added and never confirmed) is not the account's: no address", async () => {
    const p = await signInProfile({ email: null }, [
      { email: "ceo@victim.example", primary: true, verified: false },
      { email: "mallory@users.noreply.github.com", primary: false, verified: true },
    ]);
    expect(p.email).toBeNull();
  });

  it("the verified primary address when there is no public one; the public one when GitHub verified it", async () => {
    const emails = [
      { email: "m@own.example", primary: true, verified: true },
      { email: "work@own.example", primary: false, verified: true },
    ];
    expect((await signInProfile({ email: null }, emails)).email).toBe("m@own.example");
    expect((await signInProfile({ email: "work@own.example" }, emails)).email).toBe("work@own.example");
  });

  it("a public address GitHub does not list as verified falls back to the verified primary", async () => {
    const emails = [
      { email: "m@own.example", primary: true, verified: true },
      { email: "ceo@victim.example", primary: false, verified: false },
    ];
    expect((await signInProfile({ email: "ceo@victim.example" }, emails)).email).toBe("m@own.example");
  });

  it("reads GitHub's list defensively", () => {
    expect(verifiedGitHubEmail(null, "not a list")).toBeNull();
    expect(verifiedGitHubEmail(null, [null, 3, { email: 5, primary: true, verified: true }])).toBeNull();
    expect(verifiedGitHubEmail(null, [{ email: "a@b.example", primary: true, verified: "true" }])).toBeNull();
  });
});

describe("a Google account's address", () => {
  it("is kept only when Google says it verified it", () => {
    const google = enabledProviders().find((p) => typeof p !== "function" && p.id === "google") as unknown as {
      options?: { profile?: (p: Record<string, unknown>) => { email: string | null } };
    };
    const profile = (claims: Record<string, unknown>) => google.options!.profile!({ sub: "1", name: "M", picture: null, ...claims });
    expect(profile({ email: "m@own.example", email_verified: true }).email).toBe("m@own.example");
    expect(profile({ email: "ceo@victim.example", email_verified: false }).email).toBeNull();
    expect(profile({ email: "ceo@victim.example" }).email).toBeNull();
  });
});
