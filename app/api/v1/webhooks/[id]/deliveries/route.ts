import { listWebhookDeliveries } from "@/lib/billing/webhooks/list-webhook-deliveries";
import { route } from "@/lib/edge/route";
import { deliveriesPageShape } from "../../shape";
import { v1WebhookDeliveriesRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1WebhookDeliveriesRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor, params, query }) =>
  deliveriesPageShape(await listWebhookDeliveries({ db, actor, endpointId: params.id, limit: query.limit, cursor: query.cursor })),
);
