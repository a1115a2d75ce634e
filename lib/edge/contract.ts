import { z } from "zod";

// A route's contract: its method, path, inputs and answer as zod schemas. The route handler is built from it
// (lib/edge/route.ts) and so are the browser's query and mutation hooks (components/data/route-hooks.ts), so the two
// sides cannot disagree on a shape. Client-safe: no server import.
//
// Money on the wire, everywhere (dashboard routes and the seed-shaped /api/v1 APIs alike): an integer amount of
// minor units (cents, credits) is a JSON number when it is a safe integer, else its exact decimal string. The
// `money` codec encodes a bigint that way and decodes either form back to a bigint, so nothing is rounded.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Any zod schema, classic or zod/mini (both are built on zod's core). */
export type Schema = z.core.$ZodType;

export type RouteContract<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
  O extends Schema = Schema,
  M extends HttpMethod = HttpMethod,
  Path extends string = string,
> = {
  method: M;
  /** With `:name` segments, as in "/api/teams/:team/top-ups". */
  path: Path;
  params: P;
  query: Q;
  body: B;
  /** The answer on success; `null` for a route that answers a file or a stream. */
  output: O | null;
  /**
   * "seed": the answer is wrapped as the WaveSpeed-shaped APIs (/api/v3) answer, `{ code: 200, message: "success", data }`,
   * and a refusal as `{ code: <status>, message, data: null, error: { code, message, field? } }` with that HTTP status.
   */
  envelope?: "seed";
};

const none = z.object({});
const noBody = z.strictObject({});

/** Declares a route. Omitted inputs are empty objects (unknown query keys are ignored; a body must be empty). */
export function defineRoute<
  P extends Schema = typeof none,
  Q extends Schema = typeof none,
  B extends Schema = typeof noBody,
  O extends Schema = z.ZodType,
  const M extends HttpMethod = HttpMethod,
  const Path extends string = string,
>(c: { method: M; path: Path; params?: P; query?: Q; body?: B; output: O | null; envelope?: "seed" }): RouteContract<P, Q, B, O, M, Path> {
  return {
    method: c.method,
    path: c.path,
    params: (c.params ?? none) as P,
    query: (c.query ?? none) as Q,
    body: (c.body ?? noBody) as B,
    output: c.output,
    ...(c.envelope ? { envelope: c.envelope } : {}),
  };
}

export type ParamsOf<C extends RouteContract> = z.infer<C["params"]>;
export type QueryOf<C extends RouteContract> = z.input<C["query"]>;
export type BodyOf<C extends RouteContract> = z.input<C["body"]>;
/** What the handler returns and what the browser gets back after decoding: bigints, not strings. */
export type OutputOf<C extends RouteContract> = [NonNullable<C["output"]>] extends [Schema] ? z.output<NonNullable<C["output"]>> : never;

const wireInteger = z.union([z.number().int(), z.string().regex(/^-?\d+$/, "is not an integer")]);

/** An integer of minor units: bigint in code, a number (or a decimal string past 2^53) in JSON. */
export const money = () =>
  z.codec(wireInteger, z.bigint(), {
    decode: (v) => BigInt(v),
    encode: (v) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()),
  });

/** A page size in a query string: a whole number from 1 to `max`, `fallback` when absent. */
export const pageLimit = (max: number, fallback: number) => {
  const message = `must be a whole number from 1 to ${max}`;
  return z
    .string()
    .regex(/^\d{1,6}$/, message)
    .transform(Number)
    .pipe(z.number().min(1, message).max(max, message))
    .default(fallback);
};

/** A moment: a Date in code, an ISO 8601 string in JSON. */
export const isoDate = () => z.codec(z.iso.datetime({ offset: true }), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() });

export { routeKey, routeUrl } from "./endpoint";
