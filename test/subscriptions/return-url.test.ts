import { describe, expect, it } from "vitest";
import { parseBillingConfig } from "../../lib/billing/config";
import { BillingError } from "../../lib/billing/errors";
import { checkReturnUrl, parseReturnUrlRules } from "../../lib/billing/subscriptions/return-url";

const rules = parseReturnUrlRules("*.example.com, localhost, https://app.partner.test, shop.other.test");
const check = (url: string) => checkReturnUrl(url, { appUrl: "https://billing.creditdesk.test", rules });
const refused = (url: string) => {
  try {
    check(url);
  } catch (e) {
    return e instanceof BillingError && e.code === "RETURN_URL_NOT_ALLOWED" && e.details?.field === "return_url";
  }
  return false;
};

describe("the portal's return_url allow-list (BILLING_PORTAL_RETURN_URLS)", () => {
  it("allows the app's own origin, listed hosts, wildcard subdomains, listed origins and localhost over http", () => {
    for (const url of [
      "https://billing.creditdesk.test/t/acme/subscription",
      "https://dashboard.example.com/billing",
      "https://a.b.example.com/x?y=1#z",
      "https://DASHBOARD.EXAMPLE.COM/billing",
      "https://app.partner.test/back",
      "https://shop.other.test/",
      "http://localhost:3000/billing",
      "https://localhost/billing",
    ]) {
      expect(() => check(url), url).not.toThrow();
    }
  });

  it("refuses look-alikes, the apex of a wildcard, userinfo, other schemes, http off localhost, control characters and backslashes", () => {
    for (const url of [
      "https://example.com.evil.test",
      "https://evil.test/?x=.example.com",
      "https://evil.test#.example.com",
      "https://example.com@evil.test",
      "https://dashboard.example.com@evil.test/",
      "https://user:pw@dashboard.example.com/",
      "https://@dashboard.example.com/",
      "https://example.com/",
      "https://evilexample.com/",
      "http://dashboard.example.com/",
      "http://app.partner.test/back",
      "https://app.partner.test:8443/back",
      "https://dashboard.example.com:8443/billing",
      "https://a.b.example.com:444/x",
      "https://other.test/",
      "javascript:alert(1)//.example.com",
      "data:text/html,hi",
      "ftp://dashboard.example.com/",
      "//dashboard.example.com/",
      "/relative",
      "https://dashboard.example.com\\@evil.test/",
      "https://evil.test\\.example.com/",
      "https://dashboard.example.com/\u0000",
      "https://dashboard.example.com/\n",
      " https://dashboard.example.com/",
      "https://dashboard.example.com\t.evil.test/",
      "not a url",
      "",
    ]) {
      expect(refused(url), JSON.stringify(url)).toBe(true);
    }
  });

  it("is configured by BILLING_PORTAL_RETURN_URLS, a bad entry stopping start-up with its name", () => {
    expect(parseBillingConfig({}).portalReturnUrls).toEqual([{ kind: "host", host: "localhost" }]);
    expect(parseBillingConfig({ BILLING_PORTAL_RETURN_URLS: "*.wavis.xyz,localhost" }).portalReturnUrls).toEqual([
      { kind: "wildcard", suffix: ".wavis.xyz" },
      { kind: "host", host: "localhost" },
    ]);
    for (const bad of ["*", "*.com", "https://a.test/path", "a b.test", "https://u@a.test"]) {
      expect(() => parseBillingConfig({ BILLING_PORTAL_RETURN_URLS: bad }), bad).toThrow(/BILLING_PORTAL_RETURN_URLS/);
    }
  });
});
