import { listWebhookDeliveries } from "@/lib/billing/webhooks/list-webhook-deliveries";
import { route } from "@/lib/edge/route";
import { deliveriesPageShape } from "@/app/api/v1/webhooks/shape";
import { teamWebhookDeliveriesRoute } from "../../contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(teamWebhookDeliveriesRoute, { auth: "team", permission: "billing:read" }, async ({ db, actor, params, query }) =>
  deliveriesPageShape(await listWebhookDeliveries({ db, actor, endpointId: params.id, limit: query.limit, cursor: query.cursor })),
);
