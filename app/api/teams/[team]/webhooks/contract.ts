import { z } from "zod";
import { defineRoute } from "@/lib/edge/contract";
import {
  createWebhookBody,
  deliveriesAnswer,
  deliveriesQuery,
  resendAnswer,
  updateWebhookBody,
  webhookEndpointAnswer,
  webhookEndpointListAnswer,
} from "@/app/api/v1/webhooks/contract";

// The webhooks settings page: the same shapes and core functions as /api/v1/webhooks, for a signed-in member (billing
// roles read and manage; members get 403).

const team = z.object({ team: z.string() });
const teamAndId = z.object({ team: z.string(), id: z.string().max(100) });

export const teamWebhooksRoute = defineRoute({ method: "GET", path: "/api/teams/:team/webhooks", params: team, output: webhookEndpointListAnswer });

export const createTeamWebhookRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/webhooks",
  params: team,
  body: createWebhookBody,
  output: webhookEndpointAnswer,
});

export const updateTeamWebhookRoute = defineRoute({
  method: "PATCH",
  path: "/api/teams/:team/webhooks/:id",
  params: teamAndId,
  body: updateWebhookBody,
  output: webhookEndpointAnswer,
});

export const deleteTeamWebhookRoute = defineRoute({
  method: "DELETE",
  path: "/api/teams/:team/webhooks/:id",
  params: teamAndId,
  output: webhookEndpointAnswer,
});

export const teamWebhookDeliveriesRoute = defineRoute({
  method: "GET",
  path: "/api/teams/:team/webhooks/:id/deliveries",
  params: teamAndId,
  query: deliveriesQuery,
  output: deliveriesAnswer,
});

export const resendTeamDeliveryRoute = defineRoute({
  method: "POST",
  path: "/api/teams/:team/webhooks/deliveries/:id/resend",
  params: teamAndId,
  output: resendAnswer,
});
