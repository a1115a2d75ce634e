import { resendDelivery } from "@/lib/billing/webhooks/resend-delivery";
import { reply, route } from "@/lib/edge/route";
import { resendTeamDeliveryRoute } from "../../../contract";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = route(resendTeamDeliveryRoute, { auth: "team", permission: "billing:write" }, async ({ db, team, params }) => {
  await resendDelivery({ db, teamId: team.id, deliveryId: params.id });
  return reply({ delivery_id: params.id, status: "queued" as const }, { status: 202 });
});
