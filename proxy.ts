import { type NextRequest, NextResponse } from "next/server";

// Cheap first gate: no session cookie on a billing page means sign in. Pages still verify the session and membership.
export function proxy(req: NextRequest) {
  const hasSession = req.cookies.has("authjs.session-token") || req.cookies.has("__Secure-authjs.session-token");
  if (hasSession) return NextResponse.next();
  const url = new URL("/signin", req.url);
  url.searchParams.set("callbackUrl", req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = { matcher: ["/t/:path*", "/admin/:path*"] };
