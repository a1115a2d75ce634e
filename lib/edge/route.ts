import "server-only";
import { z } from "zod";
import type Stripe from "stripe";
import { BillingError } from "../billing/errors";
import { type Db, db as defaultDb } from "../db/client";
import type { Team } from "../db/generated/client";
import { type Actor, type Permission, requirePermission, TEST_KEY_REFUSAL } from "../auth/permissions";
import { assertSameOriginJson, isMutating } from "../auth/same-origin";
import type { BillingGateway } from "../billing/gateway";
import { stripeClient } from "../stripe/client";
import { configuredGateway, processGateway } from "../stripe/gateway";
import { type AdminUser, apiCaller, platformAdmin, sessionUserId, SIGN_IN_FIRST, signedInUser, type SignedInUser, teamMember, type UserActor } from "./actor";
import type { OutputOf, RouteContract, Schema } from "./contract";
import { TYPED_ANSWER_HEADER, typesOf } from "./endpoint";
import { type ErrorRecord, toRefusal } from "./error-record";
import { assertParamsText, assertQueryText, parseWith, queryObject, readJsonBody } from "./input";
import { refusalBody } from "./refusal-body";

// Every route handler is built here: request → actor → permission → parsed input → the core → the answer.
//   team   a signed-in member of the `[team]` in the path (the dashboard's routes)
//   api    a team API key, or a signed-in member naming the team with ?team= (the programmatic /api/v1 routes)
//   admin  a platform admin
//   user   anyone signed in and approved, acting for themselves (no team in the path)
//   public nobody in particular (the handler decides)
// A signed-in browser changing state must send same-origin JSON (403 / 415): a key is never read from a cookie.
// Refusals and failures answer `{ error: { code, message, field? } }` with the code's status (lib/edge/error-record);
// a contract with `envelope: "seed"` (the WaveSpeed-shaped /api/v3) wraps answers and refusals in `{ code, message, data }`.

export type Access =
  { auth: "team"; permission: Permission } | { auth: "api"; permission: Permission } | { auth: "admin" } | { auth: "user" } | { auth: "public" };

type Who<A extends Access> = A extends { auth: "team" }
  ? { actor: UserActor; team: Team }
  : A extends { auth: "api" }
    ? { actor: Actor }
    : A extends { auth: "admin" }
      ? { admin: AdminUser }
      : A extends { auth: "user" }
        ? { user: SignedInUser }
        : object;

/** `gateway`: the ports the billing core calls Stripe through; `stripe`: the SDK client itself (webhook replay). */
export type EdgeServices = {
  db: Db;
  stripe: () => Stripe;
  /** STRIPE_UNAVAILABLE when payments are not set up on this installation. */
  gateway: () => BillingGateway;
  /** null when payments are not set up (usage still records; there is just nothing to top up with). */
  gatewayIfConfigured: () => BillingGateway | null;
  appUrl: string;
};

export type RouteContext<C extends RouteContract, A extends Access> = EdgeServices & {
  req: Request;
  params: z.output<C["params"]>;
  query: z.output<C["query"]>;
  body: z.output<C["body"]>;
} & Who<A>;

const REPLY = Symbol("reply");
type Reply<T> = { [REPLY]: true; data: T; status: number; headers?: Record<string, string> };

/** An answer with a status other than 200 (201 Created, 202 Accepted) or extra headers. */
export function reply<T>(data: T, init: { status?: number; headers?: Record<string, string> }): Reply<T> {
  return { [REPLY]: true, data, status: init.status ?? 200, ...(init.headers ? { headers: init.headers } : {}) };
}

const isReply = (v: unknown): v is Reply<unknown> => typeof v === "object" && v !== null && REPLY in v;

const NO_STORE = { "cache-control": "no-store" };

export function errorResponse(status: number, error: ErrorRecord, headers?: Record<string, string>, envelope?: "seed"): Response {
  return Response.json(refusalBody(status, error, envelope), { status, headers: { ...NO_STORE, ...headers } });
}

/** The services an edge hands the core; tests may swap the database. */
export function edgeServices(req: Request, db: Db = defaultDb()): EdgeServices {
  return { db, stripe: stripeClient, gateway: processGateway, gatewayIfConfigured: configuredGateway, appUrl: process.env.APP_URL ?? new URL(req.url).origin };
}

/**
 * A test key (cdk_test_…) never reaches Stripe: every billing:write route refuses it with TEST_KEY_NOT_ALLOWED before
 * anything else (requirePermission), and usage gets no gateway (so no auto top-up can start). The throwing gateway is
 * a second guard for any route that would reach Stripe without billing:write.
 */
function testKeyServices(whoever: Record<string, unknown>): Partial<EdgeServices> {
  const actor = whoever.actor as { kind?: string; test?: boolean } | undefined;
  if (actor?.kind !== "apiKey" || !actor.test) return {};
  return {
    gateway: () => {
      throw new BillingError("TEST_KEY_NOT_ALLOWED", TEST_KEY_REFUSAL);
    },
    gatewayIfConfigured: () => null,
  };
}

/** Our own answer failing its contract is our bug: a 500 (logged), never the caller's 400. */
function encodeOutput(schema: Schema, data: unknown): unknown {
  const r = z.safeEncode(schema, data as never);
  if (!r.success) throw new Error(`answer does not match its contract: ${r.error.message}`);
  return r.data;
}

type NextContext = { params?: Promise<Record<string, string | string[]>> };

async function who(access: Access, req: Request, db: Db, params: Record<string, string | string[]>): Promise<Record<string, unknown>> {
  switch (access.auth) {
    case "public":
      return {};
    case "admin": {
      const admin = await platformAdmin(db, await sessionUserId());
      assertSameOriginJson(req);
      return { admin };
    }
    case "user": {
      const user = await signedInUser(db, await sessionUserId());
      assertSameOriginJson(req);
      return { user };
    }
    case "team": {
      const userId = await sessionUserId();
      if (!userId) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
      assertSameOriginJson(req);
      assertParamsText(params);
      assertQueryText(req);
      const member = await teamMember(db, userId, String(params.team));
      requirePermission(member.actor, access.permission);
      return member;
    }
    case "api": {
      assertQueryText(req);
      const actor = await apiCaller(req, db);
      if (actor.kind === "user") assertSameOriginJson(req);
      requirePermission(actor, access.permission);
      return { actor };
    }
  }
}

/**
 * Builds a route handler from its contract and access rule. The handler gets the actor, the parsed params, query and
 * body, and the services; it returns the contract's output (encoded here: bigint money, Date → ISO), `reply(...)`
 * for another status, or a Response of its own (files, streams).
 */
export function route<C extends RouteContract, A extends Access>(
  contract: C,
  access: A,
  handler: (ctx: RouteContext<C, A>) => Promise<OutputOf<C> | Reply<OutputOf<C>> | Response>,
  opts: { db?: () => Db } = {},
): (req: Request, next?: NextContext) => Promise<Response> {
  return async (req, next) => {
    try {
      const services = edgeServices(req, (opts.db ?? defaultDb)());
      const rawParams = (await next?.params) ?? {};
      const whoever = await who(access, req, services.db, rawParams);
      if (access.auth !== "team") assertParamsText(rawParams);
      const params = parseWith(contract.params, rawParams) as z.output<C["params"]>;
      if (access.auth === "public" || access.auth === "admin" || access.auth === "user") assertQueryText(req);
      const query = parseWith(contract.query, queryObject(req)) as z.output<C["query"]>;
      const body = (isMutating(req) ? parseWith(contract.body, await readJsonBody(req)) : {}) as z.output<C["body"]>;
      const out = await handler({ ...services, ...testKeyServices(whoever), ...whoever, req, params, query, body } as RouteContext<C, A>);
      if (out instanceof Response) {
        if (!out.headers.has("cache-control")) out.headers.set("cache-control", "no-store");
        return out;
      }
      const { data, status, headers } = isReply(out) ? out : { data: out, status: 200, headers: undefined };
      const encoded: unknown = contract.output ? encodeOutput(contract.output, data) : data;
      // The dashboard asks for the places of the bigints and Dates too, so it needs no schema to decode the answer; the
      // WaveSpeed-shaped routes answer programs in the seed's envelope.
      const answer =
        contract.envelope === "seed"
          ? { code: status, message: "success", data: encoded ?? null }
          : req.headers.get(TYPED_ANSWER_HEADER) === "1"
            ? { data: encoded ?? null, types: typesOf(data) }
            : (encoded ?? null);
      return Response.json(answer, { status, headers: { ...NO_STORE, ...headers } });
    } catch (e) {
      const r = toRefusal(e);
      return errorResponse(r.status, r.error, r.headers, contract.envelope);
    }
  };
}
