import { createApiKey } from "@/lib/billing/api-keys/create-api-key";
import { readApiKeys } from "@/lib/billing/api-keys/list-api-keys";
import { reply, route } from "@/lib/edge/route";
import { apiKeysRoute, createApiKeyRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(apiKeysRoute, { auth: "team", permission: "apikeys:manage" }, async ({ db, actor }) => ({ keys: await readApiKeys({ db, actor }) }));

export const POST = route(createApiKeyRoute, { auth: "team", permission: "apikeys:manage" }, async ({ db, actor, team, body }) => {
  const { apiKey, secret } = await createApiKey({
    db,
    teamId: team.id,
    name: body.name,
    role: body.role,
    test: body.mode === "test",
    createdByUserId: actor.userId,
  });
  return reply({ id: apiKey.id, name: apiKey.name, test: apiKey.test, secret }, { status: 201 });
});
