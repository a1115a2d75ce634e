import type { HttpMethod, RouteContract } from "./contract";

// How the browser names a route without loading its contract: the contract's schemas are zod, and zod in the
// browser would be most of a page's JavaScript. A client component imports the contract as a type only and names
// the route by its method and path, which the compiler checks against the contract:
//
//   import type { overviewRoute } from "@/app/api/teams/[team]/overview/contract";
//   const overview = endpoint<typeof overviewRoute>("GET /api/teams/:team/overview");
//
// The answer still comes back typed as the contract says (bigint money, Date moments): the route sends, beside the
// JSON, where its bigints and Dates were (`typesOf`), and the browser puts them back (`revive`). Zero dependencies.

/** A route as the browser calls it: its method and path, typed by its contract. */
export type Endpoint<C extends RouteContract = RouteContract> = { method: C["method"]; path: C["path"]; readonly contract?: C };

/** The route `"<METHOD> <path>"` of contract C; anything else does not compile. */
export function endpoint<C extends RouteContract>(route: `${C["method"]} ${C["path"]}`): Endpoint<C> {
  const at = route.indexOf(" ");
  return { method: route.slice(0, at) as HttpMethod as C["method"], path: route.slice(at + 1) as C["path"] };
}

/** The URL of a route for these params ("/api/teams/acme/top-ups") and query. */
export function routeUrl(
  c: Pick<RouteContract, "path">,
  params: Record<string, string>,
  query?: Record<string, string | number | boolean | null | undefined>,
): string {
  const path = c.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`routeUrl: missing :${name} for ${c.path}`);
    return encodeURIComponent(v);
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** The browser cache's key of a route's answer: the path template, then the params and query it was asked with. */
export function routeKey(c: Pick<RouteContract, "path">, params: Record<string, string>, query: Record<string, unknown> = {}): readonly unknown[] {
  return [c.path, params, query];
}

/** A route key as one string, the same on the server and in the browser (object keys sorted). */
export function routeId(key: readonly unknown[]): string {
  return JSON.stringify(key, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The request header that asks a route for its answer with `types` beside it: `{ data, types }`. */
export const TYPED_ANSWER_HEADER = "x-creditdesk-typed";

/** Where a value's bigints ("n") and Dates ("d") are: a tree of only those places (0 for an array slot with none). */
export type Types = "n" | "d" | 0 | Types[] | { [key: string]: Types };

/** Sets a key as a plain own property: a key named "__proto__" (a record keyed by what people typed) stays a key. */
const own = (o: Record<string, unknown>, k: string, v: unknown) =>
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** The places of the bigints and Dates in what a handler answered, or 0 when there are none. */
export function typesOf(v: unknown): Types {
  if (typeof v === "bigint") return "n";
  if (v instanceof Date) return "d";
  if (Array.isArray(v)) {
    const slots = v.map(typesOf);
    return slots.some((t) => t !== 0) ? slots : 0;
  }
  if (v !== null && typeof v === "object") {
    const out: Record<string, Types> = {};
    for (const [k, x] of Object.entries(v)) {
      const t = typesOf(x);
      if (t !== 0) own(out, k, t);
    }
    return Object.keys(out).length > 0 ? out : 0;
  }
  return 0;
}

/** The JSON answer with its bigints and Dates back in their places (what the contract's schema decodes to). */
export function revive(json: unknown, types: Types): unknown {
  if (json === null || json === undefined || types === 0) return json;
  if (types === "n") return typeof json === "number" || typeof json === "string" ? BigInt(json) : json;
  if (types === "d") return typeof json === "string" ? new Date(json) : json;
  if (Array.isArray(types)) return Array.isArray(json) ? json.map((x, i) => revive(x, types[i] ?? 0)) : json;
  if (typeof json !== "object" || Array.isArray(json)) return json;
  const out: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  for (const [k, t] of Object.entries(types)) if (Object.hasOwn(out, k)) own(out, k, revive(out[k], t));
  return out;
}
