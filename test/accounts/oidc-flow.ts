import { NextRequest } from "next/server";

// Drives a real sign-in through Auth.js's own handlers and the local OpenID Connect issuer, as a browser would:
// cookies kept per site, every redirect followed by hand, the issuer's login form submitted.

type Handler = (req: NextRequest) => Promise<Response>;
export const APP = "http://app.test";

export class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(name: string) {
    return this.cookies.has(name);
  }
}

const location = (res: Response) => {
  const to = res.headers.get("location");
  if (!to) throw new Error(`expected a redirect, got ${res.status}: ${res.headers.get("content-type")}`);
  return to;
};

/** Signs in through the enterprise provider as `login`; answers where Auth.js sent the browser at the end. */
export async function enterpriseSignIn(auth: { GET: Handler; POST: Handler }, app: Jar, login: string): Promise<string> {
  const appReq = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    new NextRequest(`${APP}${path}`, { ...init, headers: { ...init.headers, cookie: app.header() } });

  const csrfRes = await auth.GET(appReq("/api/auth/csrf"));
  app.take(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const start = await auth.POST(
    appReq("/api/auth/signin/enterprise", {
      method: "POST",
      body: new URLSearchParams({ csrfToken, callbackUrl: "/" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    }),
  );
  app.take(start);

  // At the issuer: its own cookies, its login form.
  const idp = new Jar();
  let url = location(start);
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(APP)) break;
    const res = await fetch(url, { redirect: "manual", headers: { cookie: idp.header() } });
    idp.take(res);
    if (res.status === 200) {
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no login form at ${url}`);
      const posted = await fetch(new URL(action.replace(/&amp;/g, "&"), url), {
        method: "POST",
        redirect: "manual",
        headers: { cookie: idp.header(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
      });
      idp.take(posted);
      url = new URL(location(posted), url).toString();
      continue;
    }
    url = new URL(location(res), url).toString();
  }
  if (!url.startsWith(APP)) throw new Error(`the issuer never sent the browser back: ${url}`);
  const callback = await auth.GET(appReq(url.slice(APP.length)));
  app.take(callback);
  return location(callback);
}

/** The session Auth.js reads from the jar's cookie (its own /api/auth/session answer), or null. */
export async function readSession(auth: { GET: Handler }, app: Jar): Promise<{ user: { id: string } } | null> {
  const res = await auth.GET(new NextRequest(`${APP}/api/auth/session`, { headers: { cookie: app.header() } }));
  const body = (await res.json()) as { user?: { id?: string } } | null;
  return body?.user?.id ? { user: { id: body.user.id } } : null;
}
