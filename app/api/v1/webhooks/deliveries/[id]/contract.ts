import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { deliveryAttemptsAnswer } from "../../contract";

/** GET /api/v1/webhooks/deliveries/:id: one delivery of the key's team with every attempt, first to last. */
export const v1WebhookDeliveryRoute = defineRoute({
  method: "GET",
  path: "/api/v1/webhooks/deliveries/:id",
  params: z.object({ id: z.string().max(100) }),
  output: deliveryAttemptsAnswer,
});
