// Redirect targets taken from input (callbackUrl, Auth.js's redirect) must land on the app, whatever their spelling.

/** Used when the app's origin is not known: any absolute URL then fails the same-origin test. */
const UNKNOWN_ORIGIN = "https://creditdesk.invalid";
const MAX_LENGTH = 2000;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The same-origin path (path + query + fragment) a redirect target resolves to, or `fallback`.
 * The value is parsed with the WHATWG URL parser against `origin`, as a browser would (dot segments and %2e,
 * backslashes, tabs, newlines and leading control characters included); it must stay on that origin, and the
 * answer is re-serialised from the parsed URL, so it can never be read as `//host` or `/\host` by a browser.
 */
export function safeRedirectPath(value: unknown, fallback = "/", origin: string = UNKNOWN_ORIGIN): string {
  if (typeof value !== "string" || value === "" || value.length > MAX_LENGTH) return fallback;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    // The parser drops tabs and newlines anywhere and C0 controls and spaces at the ends; look for a scheme as it would.
    const bare = value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
    // "https:evil.example" is relative to an https base but absolute to a browser elsewhere: a scheme means absolute.
    url = SCHEME.test(bare) ? new URL(value) : new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || url.username || url.password) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/..//evil.example" normalises to "//evil.example": same origin as a URL, another host as a Location header.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  // The serialiser percent-encodes controls and spaces; refuse if one ever slips through.
  if (/[\u0000-\u0020\u007f]/.test(path)) return fallback;
  return path;
}

/** Auth.js's `redirect` callback: the app's own absolute URL for a safe target, else the app's home. */
export function authRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const origin = new URL(baseUrl).origin;
  return `${origin}${safeRedirectPath(url, "/", origin)}`;
}
