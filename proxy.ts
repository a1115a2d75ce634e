import { type NextRequest, NextResponse } from "next/server";
import { findHostileQueryParam, hasHostilePath, UNSTORABLE_TEXT } from "./lib/auth/input-text";
import { refusalBody } from "./lib/edge/refusal-body";

const gated = (path: string) => path === "/t" || path.startsWith("/t/") || path === "/admin" || path.startsWith("/admin/");

export function proxy(req: NextRequest) {
  // A URL that does not percent-decode to storable text (NUL, invalid UTF-8, broken escapes) names nothing: 400 in
  // the API's error shape, before any page or route can trip over it (Next answered 500 for /t/%ED%A0%80/...).
  const field = hasHostilePath(req.url) ? "path" : findHostileQueryParam(req.url);
  if (field !== null) {
    const error = { code: "VALIDATION_FAILED" as const, message: `${field}: ${UNSTORABLE_TEXT}`, field };
    // The WaveSpeed-shaped /api/v3 answers in its envelope, as its routes do (lib/edge/contract.ts, envelope "seed").
    const body = refusalBody(400, error, req.nextUrl.pathname.startsWith("/api/v3/") ? "seed" : undefined);
    return NextResponse.json(body, { status: 400, headers: { "cache-control": "no-store" } });
  }
  // Cheap first gate: no session cookie on a billing page means sign in. Pages still verify the session and membership.
  if (!gated(req.nextUrl.pathname)) return NextResponse.next();
  const hasSession = req.cookies.has("authjs.session-token") || req.cookies.has("__Secure-authjs.session-token");
  if (hasSession) return NextResponse.next();
  const url = new URL("/signin", req.url);
  url.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

// Not for the two hot API paths programs call per request (usage, and the key check used as its baseline): running the
// proxy there cost about 30% of their throughput (bench:ledger: no-op 620 → 833/s, single-event usage 480 → 697/s).
// Their routes check the query themselves (assertQueryText, first in the API pipeline) and have no path parameters;
// e2e/hostile-input.spec.ts checks both still refuse NUL and invalid UTF-8.
export const config = { matcher: ["/((?!_next/static|_next/image|api/v1/usage|api/v1/keys/current).*)"] };
