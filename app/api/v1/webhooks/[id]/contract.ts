import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import { updateWebhookBody, webhookEndpointAnswer } from "../contract";

// One endpoint of the key's team by id (another team's id is 404, as an unknown one).

const params = z.object({ id: z.string().max(100) });

export const v1WebhookRoute = defineRoute({ method: "GET", path: "/api/v1/webhooks/:id", params, output: webhookEndpointAnswer });

export const v1UpdateWebhookRoute = defineRoute({
  method: "PATCH",
  path: "/api/v1/webhooks/:id",
  params,
  body: updateWebhookBody,
  output: webhookEndpointAnswer,
});

/** Deletes the endpoint with its deliveries; answers what it was. */
export const v1DeleteWebhookRoute = defineRoute({ method: "DELETE", path: "/api/v1/webhooks/:id", params, output: webhookEndpointAnswer });
