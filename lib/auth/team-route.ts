import "server-only";
import { isBillingError } from "../billing/errors";
import { type Db, db } from "../db/client";
import type { Team } from "../db/generated/client";
import { resolveTeamActor } from "../teams/resolve-team-actor";
import { auth } from "./config";
import { type Actor, type Permission, requirePermission } from "./permissions";
import { toActionError } from "./actions";
import { assertQueryText, retryAfterHeader } from "./api-route";
import { isStorableText } from "./input-text";
import { assertSameOriginJson } from "./same-origin";

export const jsonError = (status: number, code: string, message: string, field?: string, headers?: Record<string, string>) =>
  Response.json({ error: { code, message, ...(field ? { field } : {}) } }, { status, headers: { "cache-control": "no-store", ...headers } });

/**
 * Route handlers under /api/teams/[team]/… for the signed-in dashboard: 401 signed out, 403 cross-site or wrong role,
 * 415 a change that is not JSON, 404 not a member (or a path segment no row could have), 400 a query that is not text.
 */
export function withTeamSession<P extends { team: string }>(
  permission: Permission,
  handler: (ctx: { req: Request; params: P; actor: Actor; team: Team; db: Db }) => Promise<Response>,
) {
  return async (req: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      const session = await auth();
      const userId = session?.user?.id;
      if (!userId) return jsonError(401, "UNAUTHENTICATED", "Sign in first.");
      assertSameOriginJson(req);
      const p = await params;
      const bad = Object.entries(p).find(([, v]) => (Array.isArray(v) ? v : [v]).some((s) => typeof s === "string" && !isStorableText(s)));
      if (bad) return jsonError(404, "NOT_FOUND", bad[0] === "team" ? "That team does not exist or you are not a member." : `That ${bad[0]} does not exist.`);
      assertQueryText(req);
      const resolved = await resolveTeamActor({ db: db(), userId, team: { slug: p.team } });
      if (!resolved) return jsonError(404, "NOT_FOUND", "That team does not exist or you are not a member.");
      requirePermission(resolved.actor, permission);
      return await handler({ req, params: p, actor: resolved.actor, team: resolved.team, db: db() });
    } catch (e) {
      if (isBillingError(e)) return jsonError(e.status, e.code, e.message, typeof e.details?.field === "string" ? e.details.field : undefined, retryAfterHeader(e));
      const err = toActionError(e);
      return jsonError(err.code === "VALIDATION_FAILED" ? 400 : 500, err.code, err.message, err.field);
    }
  };
}
