import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { deliveriesAnswer, deliveriesQuery } from "../../contract";

/**
 * GET /api/v1/webhooks/:id/deliveries: the endpoint's deliveries, newest first. ?limit=1..100 (default 20) and
 * ?cursor=<next_cursor> page through (keyset: a deep page is as fast as the first).
 */
export const v1WebhookDeliveriesRoute = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/:id/deliveries",
  params: z.object({ id: z.string().max(100) }),
  query: deliveriesQuery,
  output: deliveriesAnswer,
});
