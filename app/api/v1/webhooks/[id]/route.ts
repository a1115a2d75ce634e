import { deleteWebhookEndpoint } from "@/lib/billing/webhooks/delete-webhook-endpoint";
import { getWebhookEndpoint } from "@/lib/billing/webhooks/get-webhook-endpoint";
import { updateWebhookEndpoint } from "@/lib/billing/webhooks/update-webhook-endpoint";
import { route } from "@/lib/edge/route";
import { endpointShape } from "../shape";
import { v1DeleteWebhookRoute, v1UpdateWebhookRoute, v1WebhookRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1WebhookRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor, params }) =>
  endpointShape(await getWebhookEndpoint({ db, actor, endpointId: params.id })),
);

export const PATCH = route(v1UpdateWebhookRoute, { auth: "api", permission: "billing:write" }, async ({ db, actor, params, body }) =>
  endpointShape(await updateWebhookEndpoint({ db, actor, endpointId: params.id, input: body })),
);

export const DELETE = route(v1DeleteWebhookRoute, { auth: "api", permission: "billing:write" }, async ({ db, actor, params }) =>
  endpointShape(await deleteWebhookEndpoint({ db, actor, endpointId: params.id })),
);
