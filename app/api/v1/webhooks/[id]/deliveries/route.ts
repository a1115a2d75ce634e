import { listWebhookDeliveries } from "@/lib/billing/webhooks/list-webhook-deliveries";
import { route } from "@/lib/edge/route";
import { deliveryShape } from "../../shape";
import { v1WebhookDeliveriesRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1WebhookDeliveriesRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor, params, query }) => {
  const page = await listWebhookDeliveries({ db, actor, endpointId: params.id, limit: query.limit, cursor: query.cursor });
  return { deliveries: page.deliveries.map(deliveryShape), has_more: page.hasMore, next_cursor: page.nextCursor };
});
