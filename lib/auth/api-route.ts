import type { z } from "zod";
import { BillingError, isBillingError } from "../billing/errors";
import { bigintToJson } from "../billing/money";
import { type Db, db as defaultDb } from "../db/client";
import { resolveTeamActor } from "../teams/resolve-team-actor";
import { authenticateApiKey } from "./api-key";
import { findHostileQueryParam, findUnstorableText, UNSTORABLE_TEXT } from "./input-text";
import { assertSameOriginJson } from "./same-origin";
import { type Actor, type Permission, requirePermission } from "./permissions";

// Route handlers of the public API (/api/v1/...): authenticate, authorize, parse, call the core, shape JSON.
// JSON convention: bigint amounts are numbers when they are safe integers, else decimal strings (see apiJson).

export type ApiContext = { req: Request; actor: Actor; db: Db };

const noStore = { "cache-control": "no-store" };

/** JSON with the API's bigint convention: a safe integer becomes a number, anything larger a decimal string. */
export function apiJson(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  const body = JSON.stringify(data, (_k, v: unknown) => (typeof v === "bigint" ? bigintToJson(v) : v));
  return new Response(body, { status: init.status ?? 200, headers: { "content-type": "application/json", ...noStore, ...init.headers } });
}

export function apiError(status: number, code: string, message: string, field?: string, headers?: Record<string, string>): Response {
  return apiJson({ error: { code, message, ...(field ? { field } : {}) } }, { status, headers });
}

const unauthenticated = {
  missing: "Send an API key as `Authorization: Bearer cdk_live_…`.",
  malformed: "That is not a Creditdesk API key.",
  unknown: "That API key is not valid.",
  revoked: "That API key has been revoked.",
} as const;

/**
 * Who is calling: a team API key, or else a signed-in dashboard user naming the team with `?team=<slug>`
 * (or `X-Creditdesk-Team`), who must be a member of it.
 */
export async function resolveRequestActor(req: Request, { db }: { db: Db }): Promise<{ ok: true; actor: Actor } | { ok: false; message: string }> {
  const key = await authenticateApiKey(req, { db });
  if (key.ok) return key;
  if (key.reason === "missing") {
    const session = await sessionActor(req, db);
    if (session) return session;
  }
  return { ok: false, message: unauthenticated[key.reason] };
}

async function sessionActor(req: Request, db: Db): Promise<{ ok: true; actor: Actor } | { ok: false; message: string } | null> {
  let userId: string | undefined;
  try {
    // Loaded lazily: API-key calls never touch the session machinery.
    const { auth } = await import("./config");
    userId = (await auth())?.user?.id;
  } catch {
    return null; // no request scope (called outside Next), so no session
  }
  if (!userId) return null;
  const team = new URL(req.url).searchParams.get("team") ?? req.headers.get("x-creditdesk-team");
  if (!team) return { ok: false, message: "Signed in: name the team with ?team=<slug>." };
  const resolved = await resolveTeamActor({ db, userId, team: { slug: team } });
  if (!resolved) throw new BillingError("NOT_FOUND", "That team does not exist or you are not a member.");
  return { ok: true, actor: resolved.actor };
}

/**
 * Optional team selector (`?team=<id or slug>` or `X-Creditdesk-Team`): a key may only act on its own team, so naming
 * another team is refused with 403 rather than silently using the key's team.
 */
async function checkTeamSelector(req: Request, actor: Actor, db: Db): Promise<void> {
  const wanted = new URL(req.url).searchParams.get("team") ?? req.headers.get("x-creditdesk-team");
  if (!wanted || wanted === actor.teamId) return;
  const team = await db.team.findUnique({ where: { id: actor.teamId }, select: { slug: true } });
  if (team?.slug !== wanted) throw new BillingError("FORBIDDEN", "This credential belongs to another team.");
}

/** 400 VALIDATION_FAILED naming the first query parameter that is not storable text (NUL, invalid UTF-8). */
export function assertQueryText(req: Request): void {
  const field = findHostileQueryParam(req.url);
  if (field !== null) throw new BillingError("VALIDATION_FAILED", `${field}: ${UNSTORABLE_TEXT}`, { field });
}

/**
 * Wraps a route handler: 401 without a valid credential, 403 without the permission or for another team,
 * BillingError → its status as { error: { code, message, field? } }, anything else → 500 without internals.
 * A signed-in dashboard user (not an API key) changing state must send same-origin JSON (403 / 415 otherwise).
 */
export function withApiActor(handler: (ctx: ApiContext) => Promise<Response>, opts: { permission: Permission; db?: () => Db }): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    try {
      const db = (opts.db ?? defaultDb)();
      assertQueryText(req);
      const who = await resolveRequestActor(req, { db });
      if (!who.ok) return apiError(401, "UNAUTHENTICATED", who.message, undefined, { "www-authenticate": 'Bearer realm="creditdesk"' });
      // A key is never read from a cookie, so only a session-authenticated call can be forged by another site.
      if (who.actor.kind === "user") assertSameOriginJson(req);
      requirePermission(who.actor, opts.permission);
      await checkTeamSelector(req, who.actor, db);
      return await handler({ req, actor: who.actor, db });
    } catch (e) {
      if (isBillingError(e)) return apiError(e.status, e.code, e.message, typeof e.details?.field === "string" ? e.details.field : undefined, retryAfterHeader(e));
      console.error("api route failed", e);
      return apiError(500, "INTERNAL", "Something went wrong on our side. Retry with the same idempotency keys; nothing is charged twice.");
    }
  };
}

/** `Retry-After` (seconds) for an error that says when to come back (RATE_LIMITED's retryAfterSeconds). */
export function retryAfterHeader(e: BillingError): Record<string, string> | undefined {
  const s = e.details?.retryAfterSeconds;
  return typeof s === "number" && Number.isInteger(s) && s > 0 ? { "retry-after": String(s) } : undefined;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Reads a JSON body (at most 4 MB, UTF-8). Throws VALIDATION_FAILED naming the field, e.g. "events[3].quantity",
 * also for any string or key in it that PostgreSQL cannot store (NUL, an unpaired surrogate from a \ud800 escape).
 */
export async function readJson(req: Request): Promise<unknown> {
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new BillingError("VALIDATION_FAILED", "The body is larger than 4 MB.", { field: "body" });
  const bytes = await req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY_BYTES) throw new BillingError("VALIDATION_FAILED", "The body is larger than 4 MB.", { field: "body" });
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown;
  } catch {
    throw new BillingError("VALIDATION_FAILED", "The body is not valid JSON in UTF-8.", { field: "body" });
  }
  const field = findUnstorableText(body);
  if (field !== null) throw new BillingError("VALIDATION_FAILED", `${field}: ${UNSTORABLE_TEXT}`, { field });
  return body;
}

/** The first issue of a failed zod parse as VALIDATION_FAILED, with its path as the field ("events[3].quantity"). */
export function validationError(error: z.ZodError, prefix = ""): BillingError {
  const issue = error.issues[0];
  // An unknown key is named itself (events[0].quantiy), not its object.
  const keys = issue?.code === "unrecognized_keys" ? issue.keys.slice(0, 1) : [];
  const path = [...(issue?.path ?? []), ...keys].map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  const field = `${prefix}${path}`.replace(/^\./, "") || "body";
  const message = issue?.code === "unrecognized_keys" ? "is not a known field" : (issue?.message ?? "is not valid");
  return new BillingError("VALIDATION_FAILED", `${field}: ${message}`, { field });
}

/** Parses with a zod schema or throws validationError. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(r.error, prefix);
  return r.data;
}
