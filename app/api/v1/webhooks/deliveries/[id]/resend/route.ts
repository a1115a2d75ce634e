import { resendDelivery } from "@/lib/billing/webhooks/resend-delivery";
import { reply, route } from "@/lib/edge/route";
import { v1ResendDeliveryRoute } from "./contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(v1ResendDeliveryRoute, { auth: "api", permission: "billing:write" }, async ({ db, actor, params }) => {
  await resendDelivery({ db, teamId: actor.teamId, deliveryId: params.id });
  return reply({ delivery_id: params.id, status: "queued" as const }, { status: 202 });
});
