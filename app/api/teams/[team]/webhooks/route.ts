import { createWebhookEndpoint } from "@/lib/billing/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/billing/webhooks/list-webhook-endpoints";
import { reply, route } from "@/lib/edge/route";
import { endpointShape } from "@/app/api/v1/webhooks/shape";
import { createTeamWebhookRoute, teamWebhooksRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(teamWebhooksRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor }) => ({
  webhooks: (await listWebhookEndpoints({ db, actor })).map(endpointShape),
}));

export const POST = route(createTeamWebhookRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, body }) =>
  reply(endpointShape(await createWebhookEndpoint({ db, actor, input: body })), { status: 201 }),
);
