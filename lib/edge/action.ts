import "server-only";
import { unstable_rethrow } from "next/navigation";
import type { z } from "zod";
import { BillingError } from "../billing/errors";
import { screenMessage } from "../billing/words";
import { type Db, db as defaultDb } from "../db/client";
import type { Team } from "../db/generated/client";
import { type Permission, requirePermission } from "../auth/permissions";
import { type AdminUser, platformAdmin, sessionUserId, SIGN_IN_FIRST, teamMember, type UserActor } from "./actor";
import { type ErrorRecord, toRefusal } from "./error-record";
import { assertStorable, firstValues, parseWith } from "./input";

// Every server action is built here, from the same steps as a route (lib/edge/route.ts): who is asking, the
// permission, the input through zod, the core. It answers a value, never a throw: `{ ok: true, data }` or
// `{ ok: false, error }` with the same error record a route puts in its body, its message as a person reads it (no
// "field: " code: an action answers a page, never a program). Next checks a server action's Origin.

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorRecord };

export type ActionAccess<S extends z.ZodType> =
  | { auth: "team"; permission: Permission; input: S } // the input names the team: { team: "<slug>", … }
  | { auth: "admin"; input: S }
  | { auth: "public"; input: S };

type Who<A> = A extends { auth: "team" } ? { actor: UserActor; team: Team } : A extends { auth: "admin" } ? { admin: AdminUser } : object;

export type ActionContext<S extends z.ZodType, A extends ActionAccess<S>> = { db: Db; input: z.output<S> } & Who<A>;

/** A form's entries as an object (the first value of each name), or the object the caller passed. */
function inputObject(raw: unknown): unknown {
  if (typeof FormData !== "undefined" && raw instanceof FormData) {
    return firstValues(raw.entries());
  }
  return raw;
}

/**
 * Builds a server action usable directly (`action(input)`) or with `useActionState` (`(prev, form)`): whichever
 * argument comes last is the input.
 */
export function action<S extends z.ZodType, A extends ActionAccess<S>, R>(
  access: A & { input: S },
  fn: (ctx: ActionContext<S, A>) => Promise<R>,
  opts: { db?: () => Db } = {},
): (...args: [unknown] | [unknown, unknown]) => Promise<ActionResult<R>> {
  return async (...args) => {
    try {
      const db = (opts.db ?? defaultDb)();
      const raw = inputObject(args[args.length - 1]);
      let whoever: Record<string, unknown> = {};
      if (access.auth === "admin") whoever = { admin: await platformAdmin(db, await sessionUserId()) };
      if (access.auth === "team") {
        const userId = await sessionUserId();
        if (!userId) throw new BillingError("UNAUTHENTICATED", SIGN_IN_FIRST);
        const slug = (raw as { team?: unknown } | null)?.team;
        if (typeof slug !== "string") throw new BillingError("VALIDATION_FAILED", "team: is required", { field: "team" });
        const member = await teamMember(db, userId, slug);
        requirePermission(member.actor, access.permission);
        whoever = member;
      }
      assertStorable(raw);
      const input = parseWith(access.input, raw);
      return { ok: true, data: await fn({ db, input, ...whoever } as ActionContext<S, A>) };
    } catch (e) {
      unstable_rethrow(e); // Next's redirect() and notFound() throw to do their work: they are answers, not failures
      const { error } = toRefusal(e);
      return { ok: false, error: { ...error, message: screenMessage(error) } };
    }
  };
}

/**
 * A server action for a plain `<form action>` (works without JavaScript): the same steps as action(); a refusal is
 * handed to `onRefusal`, which answers by redirecting (to the form's page with a message) or returns nothing.
 */
export function formAction<S extends z.ZodType, A extends ActionAccess<S>>(
  access: A & { input: S },
  fn: (ctx: ActionContext<S, A>) => Promise<void>,
  onRefusal: (error: ErrorRecord) => void,
): (form: FormData) => Promise<void> {
  const run = action(access, fn);
  return async (form) => {
    const r = await run(form);
    if (!r.ok) onRefusal(r.error);
  };
}
