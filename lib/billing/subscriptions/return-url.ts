import { BillingError } from "../errors";

// Where the Stripe customer portal may send someone back to: the app's own origin, and the entries of
// BILLING_PORTAL_RETURN_URLS. An entry is a host ("localhost", "app.example.com"), a wildcard ("*.example.com": any
// subdomain, not the apex unless listed too) or an origin ("https://app.example.com"). The URL is parsed and its
// scheme and exact hostname compared, never its text: look-alikes such as https://example.com.evil.test,
// https://evil.test/?x=.example.com or https://example.com@evil.test are refused.

const LOCAL = new Set(["localhost", "127.0.0.1", "[::1]"]);

export type ReturnUrlRule = { kind: "host"; host: string } | { kind: "wildcard"; suffix: string } | { kind: "origin"; origin: string };

/** Parses the configured list; throws with the bad entry named. */
export function parseReturnUrlRules(list: string): ReturnUrlRule[] {
  return list
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((entry): ReturnUrlRule => {
      if (/^https?:\/\//.test(entry)) {
        const u = new URL(entry);
        if (u.username || u.password || (u.pathname !== "/" && u.pathname !== "") || u.search || u.hash) throw new Error(`"${entry}" must be an origin`);
        return { kind: "origin", origin: u.origin };
      }
      if (/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(entry)) return { kind: "wildcard", suffix: entry.slice(1) };
      if (/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(entry)) return { kind: "host", host: entry };
      throw new Error(`"${entry}" must be a host (app.example.com, localhost), a wildcard (*.example.com) or an origin (https://app.example.com)`);
    });
}

const refuse = () =>
  new BillingError("RETURN_URL_NOT_ALLOWED", "return_url is not on this installation's allow-list (BILLING_PORTAL_RETURN_URLS).", { field: "return_url" });

/** The return URL, normalised, when it is allowed; RETURN_URL_NOT_ALLOWED otherwise. */
export function checkReturnUrl(raw: string, { appUrl, rules }: { appUrl: string; rules: ReturnUrlRule[] }): string {
  // Control characters, NUL and backslashes are refused before parsing (URL parsers disagree about them).
  if (raw.length > 2000 || /[\u0000-\u001f\u007f\\]/.test(raw) || raw.trim() !== raw) throw refuse();
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw refuse();
  }
  if (u.username || u.password || raw.slice(0, raw.indexOf("?") < 0 ? undefined : raw.indexOf("?")).includes("@")) throw refuse();
  const host = u.hostname.toLowerCase();
  if (u.protocol !== "https:" && !(u.protocol === "http:" && LOCAL.has(host))) {
    // http only for the machine itself, or for the app's own origin (a local install served over http).
    if (!(u.protocol === "http:" && u.origin === new URL(appUrl).origin)) throw refuse();
  }
  if (u.origin === new URL(appUrl).origin) return u.toString();
  // A host or wildcard rule means the default port (any port only for the machine itself); an origin rule names its own.
  const portOk = u.port === "" || LOCAL.has(host);
  const ok = rules.some((r) =>
    r.kind === "origin" ? r.origin === u.origin : portOk && (r.kind === "host" ? r.host === host : host.endsWith(r.suffix) && host.length > r.suffix.length),
  );
  if (!ok) throw refuse();
  return u.toString();
}
