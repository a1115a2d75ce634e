import { listDeliveryAttempts } from "@/lib/billing/webhooks/list-delivery-attempts";
import { route } from "@/lib/edge/route";
import { deliveryShape } from "../../shape";
import { v1WebhookDeliveryRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = route(v1WebhookDeliveryRoute, { auth: "api", permission: "billing:read" }, async ({ db, actor, params }) => {
  const { delivery, attempts } = await listDeliveryAttempts({ db, actor, deliveryId: params.id });
  return {
    delivery: { ...deliveryShape(delivery), endpoint_id: delivery.endpointId },
    attempts: attempts.map((a) => ({
      number: a.number,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      error: a.error,
      manual: a.manual,
      attempted_at: a.attemptedAt,
    })),
  };
});
