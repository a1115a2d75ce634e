import "server-only";
import { z } from "zod";
import { type BillingErrorCode, isBillingError } from "../billing/errors";
import { type Db, db } from "../db/client";
import type { Team } from "../db/generated/client";
import { resolveTeamActor } from "../teams/resolve-team-actor";
import { auth } from "./config";
import { findUnstorableText, UNSTORABLE_TEXT } from "./input-text";
import { type Actor, type Permission, requirePermission } from "./permissions";

export type ActionError = { code: BillingErrorCode | "INTERNAL"; message: string; field?: string };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export function zodFieldError(error: z.ZodError): ActionError {
  const issue = error.issues[0];
  const field = issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return { code: "VALIDATION_FAILED", message: field ? `${field}: ${issue?.message}` : (issue?.message ?? "Invalid input"), field: field || undefined };
}

export function toActionError(e: unknown): ActionError {
  if (isBillingError(e)) return { code: e.code, message: e.message, field: typeof e.details?.field === "string" ? e.details.field : undefined };
  if (e instanceof z.ZodError) return zodFieldError(e);
  console.error("action failed", e);
  return { code: "INTERNAL", message: "Something went wrong on our side. Nothing was changed; please try again." };
}

/**
 * Builds a server action bound to one team: parse input, resolve the signed-in member, check the permission,
 * call the core. Called from the browser as `action(teamSlug, input)`; a non-member gets NOT_FOUND.
 */
export function teamAction<S extends z.ZodType, R>(
  opts: { input: S; permission: Permission },
  fn: (ctx: { input: z.infer<S>; actor: Extract<Actor, { kind: "user" }>; team: Team; db: Db }) => Promise<R>,
): (teamSlug: string, input: z.input<S>) => Promise<ActionResult<R>> {
  return async (teamSlug, raw) => {
    try {
      const session = await auth();
      const userId = session?.user?.id;
      if (!userId) return { ok: false, error: { code: "UNAUTHENTICATED", message: "Your session has ended. Sign in again." } };
      if (typeof teamSlug !== "string") return { ok: false, error: { code: "VALIDATION_FAILED", message: "team is required", field: "team" } };
      const resolved = await resolveTeamActor({ db: db(), userId, team: { slug: teamSlug } });
      if (!resolved) return { ok: false, error: { code: "NOT_FOUND", message: "That team does not exist or you are not a member." } };
      const actor = resolved.actor as Extract<Actor, { kind: "user" }>;
      requirePermission(actor, opts.permission);
      // Every string the browser sent, whatever the schema says, must be text PostgreSQL can store.
      const bad = findUnstorableText(raw);
      if (bad !== null) return { ok: false, error: { code: "VALIDATION_FAILED", message: `${bad}: ${UNSTORABLE_TEXT}`, field: bad } };
      const parsed = opts.input.safeParse(raw);
      if (!parsed.success) return { ok: false, error: zodFieldError(parsed.error) };
      return { ok: true, data: await fn({ input: parsed.data, actor, team: resolved.team, db: db() }) };
    } catch (e) {
      return { ok: false, error: toActionError(e) };
    }
  };
}
