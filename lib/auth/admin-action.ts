import "server-only";
import { z } from "zod";
import { getCurrentUser } from "./session";
import { type ActionResult, toActionError, zodFieldError } from "./actions";

/**
 * Builds a platform-admin server action over a form: the admin flag is read fresh from the database on every call
 * (the admin layout guards pages, not actions), the form is parsed with zod, then the core is called.
 */
export function adminFormAction<S extends z.ZodType, R>(
  input: S,
  fn: (ctx: { input: z.infer<S>; userId: string }) => Promise<R>,
): (prev: unknown, form: FormData) => Promise<ActionResult<R>> {
  return async (_prev, form) => {
    try {
      const user = await getCurrentUser();
      if (!user) return { ok: false, error: { code: "UNAUTHENTICATED", message: "Your session has ended. Sign in again." } };
      if (!user.isPlatformAdmin) return { ok: false, error: { code: "FORBIDDEN", message: "Only platform admins can do this." } };
      const parsed = input.safeParse(Object.fromEntries(form));
      if (!parsed.success) return { ok: false, error: zodFieldError(parsed.error) };
      return { ok: true, data: await fn({ input: parsed.data, userId: user.id }) };
    } catch (e) {
      return { ok: false, error: toActionError(e) };
    }
  };
}
