import { createWebhookEndpoint } from "@/lib/billing/webhooks/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/lib/billing/webhooks/list-webhook-endpoints";
import { reply, route } from "@/lib/edge/route";
import { v1CreateWebhookRoute, v1WebhooksRoute } from "./contract";
import { endpointShape } from "./shape";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1WebhooksRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor }) => ({
  webhooks: (await listWebhookEndpoints({ db, actor })).map(endpointShape),
}));

export const POST = route(v1CreateWebhookRoute, { auth: "api", permission: "billing:write" }, async ({ db, actor, body }) =>
  reply(endpointShape(await createWebhookEndpoint({ db, actor, input: body })), { status: 201 }),
);
