import type { Db } from "../db/client";
import { checkApiKey } from "../billing/api-keys/check-api-key";
import type { Actor } from "./permissions";

export type ApiKeyAuth = { ok: true; actor: Extract<Actor, { kind: "apiKey" }> } | { ok: false; reason: "missing" | "malformed" | "unknown" | "revoked" };

/** The bearer token of a request, or null when there is no `Authorization: Bearer …` header. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : "";
}

/** The request → actor step for programs: a team API key in `Authorization: Bearer cdk_live_…` (checked at most API_KEY_CACHE_MS ago). */
export async function authenticateApiKey(req: Request, { db }: { db: Db }): Promise<ApiKeyAuth> {
  const token = bearerToken(req);
  if (token === null) return { ok: false, reason: "missing" };
  const check = await checkApiKey({ db, secret: token });
  if (!check.ok) return check;
  return {
    ok: true,
    actor: { kind: "apiKey", apiKeyId: check.key.id, keyName: check.key.name, teamId: check.key.teamId, keyRole: check.key.role, test: check.key.test },
  };
}
