import { BillingError } from "../billing/errors";

// Cookie-authenticated requests that change state must come from the app's own pages. SameSite=Lax alone lets a
// sibling subdomain, an old browser or a top-level form POST through; Origin (or Sec-Fetch-Site) and a JSON
// content type (which a cross-site form cannot send without a CORS preflight) close that.

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const isMutating = (req: Request) => MUTATING.has(req.method.toUpperCase());

function originOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const o = new URL(value).origin;
    return o === "null" ? null : o;
  } catch {
    return null;
  }
}

const first = (v: string | null) => v?.split(",")[0]?.trim() || null;

/** The origins this request may come from: its own URL's, the public APP_URL's, and the host a proxy forwarded. */
function appOrigins(req: Request): Set<string> {
  const url = new URL(req.url);
  const origins = new Set([url.origin]);
  const app = originOf(process.env.APP_URL);
  if (app) origins.add(app);
  const host = first(req.headers.get("x-forwarded-host")) ?? req.headers.get("host");
  const proto = first(req.headers.get("x-forwarded-proto")) ?? url.protocol.replace(/:$/, "");
  const forwarded = host ? originOf(`${proto}://${host}`) : null;
  if (forwarded) origins.add(forwarded);
  return origins;
}

/**
 * Refuses a cookie-authenticated request that changes state unless it is same-origin JSON: 403 FORBIDDEN for a
 * cross-site (or unprovable) origin, 415 UNSUPPORTED_MEDIA_TYPE for a body that is not `application/json`.
 * Browsers send Origin on every POST/PUT/PATCH/DELETE, and Sec-Fetch-Site where they omit it. Reads pass.
 */
export function assertSameOriginJson(req: Request): void {
  if (!isMutating(req)) return;
  const origin = req.headers.get("origin");
  const site = req.headers.get("sec-fetch-site")?.toLowerCase() ?? null;
  const sameOrigin =
    origin !== null ? appOrigins(req).has(originOf(origin) ?? "") && (site === null || site === "same-origin") : site === "same-origin" || site === "none";
  if (!sameOrigin) {
    throw new BillingError("FORBIDDEN", "This request did not come from Creditdesk's own pages (cross-site), so it was refused. Programs use an API key.");
  }
  const type = req.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new BillingError("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json.", { field: "body" });
  }
}
