import { deleteWebhookEndpoint } from "@/lib/billing/webhooks/delete-webhook-endpoint";
import { updateWebhookEndpoint } from "@/lib/billing/webhooks/update-webhook-endpoint";
import { route } from "@/lib/edge/route";
import { endpointShape } from "@/app/api/v1/webhooks/shape";
import { deleteTeamWebhookRoute, updateTeamWebhookRoute } from "../contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const PATCH = route(updateTeamWebhookRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, params, body }) =>
  endpointShape(await updateWebhookEndpoint({ db, actor, endpointId: params.id, input: body })),
);

export const DELETE = route(deleteTeamWebhookRoute, { auth: "team", permission: "billing:write" }, async ({ db, actor, params }) =>
  endpointShape(await deleteWebhookEndpoint({ db, actor, endpointId: params.id })),
);
