import { describe, expect, it } from "vitest";
import { authRedirect, safeRedirectPath } from "../../lib/auth/safe-redirect";

const ORIGIN = "https://app.example";

/** Where a browser goes when it gets this value as a Location header from a page on the app. */
const browserTarget = (location: string) => new URL(location, `${ORIGIN}/signin?callbackUrl=x`);

// Each of these tries to leave the app after sign-in; none may.
const hostile = [
  "//evil.example",
  "///evil.example",
  "////evil.example/t/x",
  "/..//evil.example",
  "/../..//evil.example",
  "/./..//evil.example",
  "/a/../..//evil.example",
  "/t/x/../../..//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/%2e%2e/%2e%2e//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "\\/evil.example",
  "/..\\/evil.example",
  "/..\\\\evil.example",
  "https://evil.example",
  "https://evil.example/t/acme/overview",
  "http://evil.example",
  "HTTPS://EVIL.EXAMPLE",
  "https:evil.example",
  "https:/evil.example",
  "http:evil.example",
  "http:\\\\evil.example",
  "ftp://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(document.cookie)",
  "java\tscript:alert(1)",
  " javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  " //evil.example",
  "  /..//evil.example",
  "\t//evil.example",
  "\n//evil.example",
  "\r\n//evil.example",
  "//evil.example ",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\t\\evil.example",
  "\u0000//evil.example",
  "\u001f//evil.example",
  "//evil.example\u0000",
  "//evil.example@app.example",
  "//app.example@evil.example",
  "https://app.example@evil.example/",
  "https://app.example:443@evil.example/",
  "https://app.example.evil.example/",
  "https://evil.example#@app.example",
  "https://evil.example?@app.example",
  "//evil.example/%2F..",
  "//evil.example%2f%2e%2e",
  "/%5c%5cevil.example/..//evil.example",
  "/%2e%2e%5c/evil.example/../..//evil.example",
  "https://app.example/..//evil.example",
  "https://app.example/%2e%2e//evil.example",
];

// These stay on the app (possibly as a harmless, percent-encoded path); the browser must end up at the app's origin.
const awkwardButLocal = [
  "/../evil.example",
  "/%2f%2fevil.example",
  "/%2F/evil.example",
  "/%5c%5cevil.example",
  "/%5C/evil.example",
  "/%09/evil.example",
  "/%0d%0a/evil.example",
  "/%00/evil.example",
  "\u0000/\u0000/evil.example",
  "/%2e./%2fevil.example",
  "/%252e%252e//evil.example",
  "/%25%32%65%25%32%65//evil.example",
  "/%252f%252fevil.example",
  "/@evil.example",
  "/t/acme/overview?next=//evil.example",
  "/t/acme/overview#//evil.example",
  "/t/acme/overview?x=\\\\evil.example",
  "evil.example",
  "./evil.example",
  "../evil.example",
  "?//evil.example",
  "#//evil.example",
];

describe("safeRedirectPath: a redirect target taken from input resolves to a same-origin path", () => {
  it.each(hostile)("refuses %j", (value) => {
    expect(safeRedirectPath(value, "/fallback", ORIGIN)).toBe("/fallback");
    expect(safeRedirectPath(value, "/fallback")).toBe("/fallback");
  });

  it.each([...hostile, ...awkwardButLocal])("whatever it answers for %j, a browser stays on the app", (value) => {
    for (const answer of [safeRedirectPath(value, "/", ORIGIN), safeRedirectPath(value)]) {
      expect(answer).toMatch(/^\/(?![/\\])/);
      expect(answer).not.toMatch(/[\u0000-\u0020\u007f]/);
      expect(browserTarget(answer).origin).toBe(ORIGIN);
      // Served again (a second hop through the sign-in page), it must come back unchanged: it is already normal.
      expect(safeRedirectPath(answer, "/", ORIGIN)).toBe(answer);
    }
  });

  it("keeps ordinary paths, queries and fragments as they were", () => {
    for (const value of ["/", "/t/acme-ai/invoices", "/t/acme-ai/invoices?cursor=abc&x=1#list", "/t/acme-ai/overview/history?type=usage", "/admin"]) {
      expect(safeRedirectPath(value, "/fallback", ORIGIN)).toBe(value);
    }
    expect(safeRedirectPath("/t/a/./b/../c", "/", ORIGIN)).toBe("/t/a/c");
    expect(safeRedirectPath("/t/acme ai", "/", ORIGIN)).toBe("/t/acme%20ai");
  });

  it("takes an absolute URL only on the app's own origin, and answers its path", () => {
    expect(safeRedirectPath(`${ORIGIN}/t/acme-ai/top-up?x=1#y`, "/", ORIGIN)).toBe("/t/acme-ai/top-up?x=1#y");
    expect(safeRedirectPath(`${ORIGIN}:443/t/acme-ai`, "/", ORIGIN)).toBe("/t/acme-ai");
    expect(safeRedirectPath("http://app.example/t/acme-ai", "/", ORIGIN)).toBe("/"); // another scheme is another origin
    expect(safeRedirectPath("https://app.example:8443/t/acme-ai", "/", ORIGIN)).toBe("/");
    // Without a known origin, no absolute URL is trusted.
    expect(safeRedirectPath(`${ORIGIN}/t/acme-ai`)).toBe("/");
  });

  it("refuses what is not a string, is empty, or is absurdly long", () => {
    for (const value of [undefined, null, 42, ["/t/x"], { toString: () => "/t/x" }, "", "/" + "a".repeat(5000)]) {
      expect(safeRedirectPath(value, "/fallback", ORIGIN)).toBe("/fallback");
    }
  });
});

describe("authRedirect: Auth.js's redirect callback (OAuth and email sign-in) answers only the app's own URLs", () => {
  const baseUrl = "http://localhost:3000";
  it.each(hostile)("sends %j to the app's home instead", (url) => {
    const answer = authRedirect({ url, baseUrl });
    expect(new URL(answer).origin).toBe(baseUrl);
    expect(new URL(answer).pathname).toBe("/");
  });

  it("keeps the app's own paths and URLs", () => {
    expect(authRedirect({ url: "/t/acme-ai/invoices?x=1", baseUrl })).toBe(`${baseUrl}/t/acme-ai/invoices?x=1`);
    expect(authRedirect({ url: `${baseUrl}/t/acme-ai/overview`, baseUrl })).toBe(`${baseUrl}/t/acme-ai/overview`);
    expect(authRedirect({ url: "/..//evil.example", baseUrl })).toBe(`${baseUrl}/`);
  });
});
