import { revokeApiKey } from "@/lib/billing/api-keys/revoke-api-key";
import { route } from "@/lib/edge/route";
import { revokeApiKeyRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(revokeApiKeyRoute, { auth: "team", permission: "apikeys:manage" }, async ({ db, actor, team, params }) => {
  const key = await revokeApiKey({ db, teamId: team.id, apiKeyId: params.id, actorUserId: actor.userId });
  return { id: key.id };
});
